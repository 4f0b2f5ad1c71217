import { checkStartSettings } from "./config.check";

const production = {
  NODE_ENV: "production",
  JWT_SECRET: "x".repeat(40),
  APP_DB_PASSWORD: "a-long-enough-app-password",
  DATABASE_URL: "postgres://app@db.example/vnplans",
  METRICS_TOKEN: "metrics-secret",
};

describe("checkStartSettings", () => {
  it.each<[string, Record<string, string>, RegExp[]]>([
    ["a complete production environment", production, []],
    [
      "production with nothing set",
      { NODE_ENV: "production" },
      [/DATABASE_URL is required/, /METRICS_TOKEN is required/, /JWT_SECRET is required/, /APP_DB_PASSWORD is required/],
    ],
    ["a bad number and a short secret together", { ...production, PORT: "x", JWT_SECRET: "short" }, [/non-negative integer, got "x"/, /JWT_SECRET is shorter than 32 bytes/]],
  ])("%s", (_name, env, expected) => {
    const { settings, problems } = checkStartSettings(env);
    expect(problems).toHaveLength(expected.length);
    expected.forEach((pattern) => expect(problems.join("\n")).toMatch(pattern));
    expect(Boolean(settings)).toBe(expected.length === 0);
  });
});
