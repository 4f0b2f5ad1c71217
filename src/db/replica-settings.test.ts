import { loadConfig } from "../config";

/** DATABASE_REPLICA_* (the read replicas of src/db/replica-router.ts), as loadConfig reads them. */
describe("read replica settings", () => {
  it("are absent without DATABASE_REPLICA_URLS", () => {
    expect(loadConfig({}).replicas).toBeUndefined();
    expect(loadConfig({ DATABASE_REPLICA_URLS: " , " }).replicas).toBeUndefined();
  });

  it.each([
    [
      "one replica, defaults",
      { DATABASE_REPLICA_URLS: "postgres://app@replica1:5432/plans" },
      { urls: ["postgres://app@replica1:5432/plans"], maxLagMs: 5000, waitMs: 500, checkIntervalMs: 1000 },
    ],
    [
      "two, spaces trimmed, bounds set",
      {
        DATABASE_REPLICA_URLS: "postgres://a@r1/plans, postgresql://a@r2/plans",
        DATABASE_REPLICA_MAX_LAG_MS: "2000",
        DATABASE_REPLICA_WAIT_MS: "0",
        DATABASE_REPLICA_CHECK_INTERVAL_MS: "250",
      },
      { urls: ["postgres://a@r1/plans", "postgresql://a@r2/plans"], maxLagMs: 2000, waitMs: 0, checkIntervalMs: 250 },
    ],
    ["a check interval below 50 ms is raised to 50", { DATABASE_REPLICA_URLS: "postgres://r/p", DATABASE_REPLICA_CHECK_INTERVAL_MS: "1" }, { checkIntervalMs: 50 }],
  ])("%s", (_label, env, expected) => {
    expect(loadConfig(env).replicas).toMatchObject(expected);
  });

  it.each([
    [{ DATABASE_REPLICA_URLS: "replica1:5432" }, /DATABASE_REPLICA_URLS holds "replica1:5432", which is no postgres:\/\/ URL/],
    [{ DATABASE_REPLICA_URLS: "mysql://u:secret@r/p" }, /holds "mysql:\/\/u:\*\*\*@r\/p"/],
    [{ DATABASE_REPLICA_URLS: "postgres://r/p", DATABASE_REPLICA_WAIT_MS: "-1" }, /non-negative integer/],
  ])("refuses %j", (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
