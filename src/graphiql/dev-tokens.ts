import { signToken } from "../auth/token";
import { Role } from "../auth/auth.types";
import type { JwtConfig } from "../auth/jwt.config";

export interface DevToken {
  label: string;
  unit: string;
  roles: Role[];
  token: string;
}

/**
 * The seeded roles `npm start` prints, and GraphiQL offers, tokens for when DEV_TOKENS is on. The
 * first is GraphiQL's default, so it is a read-only viewer; no token holds every role. Units of today's
 * tree only (tokens are checked on today's date): the nation, provinces (one merged on 1/7/2025) and a commune, no district
 * (districts were abolished on 1/7/2025, and a district's token is refused since).
 */
export const DEV_TOKEN_SAMPLES: Array<{ unit: string; roles: Role[]; label: string }> = [
  { unit: "VN", roles: [Role.VIEWER], label: "Bộ (toàn quốc) — xem (ministry viewer)" },
  { unit: "22", roles: [Role.PLANNER, Role.VIEWER], label: "Quảng Ninh — lập kế hoạch (planner)" },
  { unit: "22", roles: [Role.REPORTER, Role.VIEWER], label: "Quảng Ninh — báo cáo (reporter)" },
  { unit: "22", roles: [Role.ADMIN, Role.VIEWER], label: "Quảng Ninh — quản trị đơn vị (admin)" },
  { unit: "91", roles: [Role.VIEWER], label: "An Giang (tỉnh từ 1/7/2025, gồm An Giang và Kiên Giang cũ) — xem (viewer)" },
  { unit: "06673", roles: [Role.VIEWER], label: "Phường Bãi Cháy (xã, Quảng Ninh) — xem (viewer)" },
];

/** Signs the development tokens, valid 8 hours. */
export function devTokens(jwt: JwtConfig): DevToken[] {
  if (!jwt.signKey) return [];
  return DEV_TOKEN_SAMPLES.map((s) => ({
    ...s,
    token: signToken(jwt, { sub: `dev-${s.unit}-${s.roles[0]!.toLowerCase()}`, unit: s.unit, roles: s.roles }),
  }));
}

/** True for a client on this machine. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}

/**
 * Whether GraphiQL may hand this request the development tokens: DEV_TOKENS on, not production,
 * and a browser on this machine, not a request relayed by a proxy on it (which makes every
 * client look local).
 */
export function mayOfferDevTokens(
  config: { devTokens: boolean; nodeEnv: string },
  request: { remoteAddress: string | undefined; headers: Record<string, string | string[] | undefined> },
): boolean {
  const proxied = ["forwarded", "x-forwarded-for", "x-real-ip", "via"].some((h) => request.headers[h] !== undefined);
  return config.devTokens && config.nodeEnv !== "production" && isLoopback(request.remoteAddress) && !proxied;
}
