import { ALL_ROLES, Role } from "../auth/auth.types";
import { DEV_TOKEN_SAMPLES, mayOfferDevTokens } from "./dev-tokens";

describe("GraphiQL's development tokens", () => {
  const on = { devTokens: true, nodeEnv: "development" };
  it.each([
    ["DEV_TOKENS on, a browser on this machine", on, "127.0.0.1", {}, true],
    ["over IPv6 loopback", on, "::1", {}, true],
    ["DEV_TOKENS off", { ...on, devTokens: false }, "127.0.0.1", {}, false],
    ["production", { ...on, nodeEnv: "production" }, "127.0.0.1", {}, false],
    ["another machine", on, "10.0.0.7", {}, false],
    ["relayed by a proxy on this machine (X-Forwarded-For)", on, "127.0.0.1", { "x-forwarded-for": "203.0.113.9" }, false],
    ["relayed by a proxy on this machine (Forwarded)", on, "::ffff:127.0.0.1", { forwarded: "for=203.0.113.9" }, false],
    ["relayed by a proxy on this machine (X-Real-IP)", on, "127.0.0.1", { "x-real-ip": "203.0.113.9" }, false],
  ])("%s → %s", (_label, config, remoteAddress, headers, expected) => {
    expect(mayOfferDevTokens(config, { remoteAddress, headers })).toBe(expected);
  });

  it("start with a read-only viewer (GraphiQL's default), and none holds every role", () => {
    expect(DEV_TOKEN_SAMPLES[0]).toMatchObject({ unit: "VN", roles: [Role.VIEWER] });
    for (const sample of DEV_TOKEN_SAMPLES) expect(sample.roles.length).toBeLessThan(ALL_ROLES.length);
  });
});
