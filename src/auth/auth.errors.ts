import { DomainError } from "../common/errors";
import { t } from "../i18n/i18n";

/**
 * Why a request is not authenticated, and no more (never which check a refused token failed):
 * MISSING — no token sent; EXPIRED — a genuine token past its `exp`; INVALID — anything else.
 */
export type TokenFailure = "MISSING" | "EXPIRED" | "INVALID";

/** Realm of the RFC 6750 challenge. */
const REALM = "vn-program-plans";

/**
 * The `WWW-Authenticate` challenge of a 401 (RFC 6750 §3): no error code when no token was sent,
 * `invalid_token` when one was refused, so a client knows to log in again.
 */
export function bearerChallenge(failure: TokenFailure): string {
  return failure === "MISSING" ? `Bearer realm="${REALM}"` : `Bearer realm="${REALM}", error="invalid_token"`;
}

/** UNAUTHENTICATED (401) with `extensions.reason` and the challenge header. */
export class TokenError extends DomainError {
  readonly code = "UNAUTHENTICATED";
  /** headers its HTTP answer carries (src/common/format-error.ts requestError) */
  readonly httpHeaders: Record<string, string>;
  constructor(readonly reason: TokenFailure) {
    super(t(`auth:token.${reason}`), { reason });
    this.httpHeaders = { "www-authenticate": bearerChallenge(reason) };
  }
}

/** The identity provider's key set cannot be fetched: the server's trouble (503), not the token's. */
export class KeySetUnavailableError extends DomainError {
  readonly code = "SERVICE_UNAVAILABLE";
  constructor(cause: unknown) {
    super(t("auth:keySetUnavailable"), {}, { cause });
  }
}
