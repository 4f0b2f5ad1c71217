import type { JWTPayload, JWTVerifyGetKey } from "jose";
import { KeySetUnavailableError, TokenError } from "./auth.errors";
import { verificationFailure } from "./auth.rules";
import type { JwksConfig } from "./jwt.config";

/** The algorithms an identity provider's keys may sign with (never a shared secret, never none). */
const JWKS_ALGORITHMS = ["RS256", "ES256"];

// jose is an ES module: imported on first use (a CommonJS require of it needs Node 20.19+, and Jest
// does not follow one)
type Jose = typeof import("jose");
let jose: Promise<Jose> | undefined;
const loadJose = () => (jose ??= import("jose"));

/**
 * Verifies tokens signed by the keys the identity provider publishes (JWT_JWKS_URL), with jose:
 * the key set is fetched on first use and cached, and fetched again when a token names a key id
 * it does not hold (the provider rotated its key), at most once per cooldown.
 */
export class JwksVerifier {
  private keys?: Promise<JWTVerifyGetKey>;

  constructor(
    private readonly config: JwksConfig,
    private readonly clockToleranceSec: number,
  ) {}

  /** The token's claims, or a TokenError (EXPIRED / INVALID), or KeySetUnavailableError (503). */
  async verify(token: string): Promise<JWTPayload> {
    const { jwtVerify } = await loadJose();
    try {
      const { payload } = await jwtVerify(token, await this.keySet(), {
        algorithms: JWKS_ALGORITHMS,
        issuer: this.config.issuer,
        audience: this.config.audience,
        clockTolerance: this.clockToleranceSec,
      });
      return payload;
    } catch (error) {
      const failure = verificationFailure(error);
      throw failure === "UNAVAILABLE" ? new KeySetUnavailableError(error) : new TokenError(failure);
    }
  }

  private keySet(): Promise<JWTVerifyGetKey> {
    return (this.keys ??= loadJose().then(({ createRemoteJWKSet }) =>
      createRemoteJWKSet(this.config.url, {
        cacheMaxAge: this.config.cacheMaxAgeMs,
        cooldownDuration: this.config.cooldownMs,
        timeoutDuration: this.config.timeoutMs,
      }),
    ));
  }
}
