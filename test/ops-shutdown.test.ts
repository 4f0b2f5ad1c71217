import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { Role } from "../src/auth/auth.types";
import { loadJwtConfig } from "../src/auth/jwt.config";
import { signToken } from "../src/auth/token";
import { buildServer } from "./support/build-server";
import { createTestDatabase, type TestDatabase } from "./support/test-database";
import { eventually, holdTableLock, waitForLockWaiters } from "./support/live-server";

/**
 * SIGTERM while a request is in flight: the compiled server (as `npm start` runs it) stops taking
 * connections, lets the request finish, closes the pool and exits 0. The request is slow because
 * the test holds a lock on `plan`; the server has no test-only code path.
 */
let db: TestDatabase;
let build: ReturnType<typeof buildServer>;
let child: ChildProcess | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
  build = buildServer();
}, 120_000);

afterAll(async () => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  build?.remove();
  await db?.drop();
});

it("finishes the in-flight request and exits 0 on SIGTERM, with a request id on every request log line", async () => {
  let stdout = "";
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  child = spawn(process.execPath, [build.main], {
    cwd: path.resolve(__dirname, ".."),
    env: {
      ...process.env,
      NODE_ENV: "test",
      LOG_LEVEL: "info",
      DATABASE_URL: db.url,
      PORT: "0",
      NODE_OPTIONS: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stdout += chunk));
  child.on("exit", (code, signal) => (exit = { code, signal }));

  await eventually(() => /GraphQL API ready at http:\/\/localhost:\d+\/graphql/.test(stdout) || exit !== undefined, "the server to start", 60_000);
  expect(exit).toBeUndefined();
  const port = Number(/GraphQL API ready at http:\/\/localhost:(\d+)\/graphql/.exec(stdout)![1]);
  const base = `http://127.0.0.1:${port}`;
  const token = signToken(loadJwtConfig({ ...process.env, NODE_ENV: "test" }), { sub: "shutdown", unit: "22", roles: [Role.VIEWER] });
  expect((await fetch(`${base}/ready`)).status).toBe(200);
  const missing = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: `query Missing { orgUnit(code: "zz") { name } }` }),
  });
  const missingId = missing.headers.get("x-request-id");
  expect(((await missing.json()) as any).errors[0].extensions).toMatchObject({ code: "NOT_FOUND", requestId: missingId });

  const lock = await holdTableLock(db.url, "plan");
  let inFlight: Promise<Response>;
  try {
    inFlight = fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "x-request-id": "in-flight-1" },
      body: JSON.stringify({ query: `query InFlight { plans(unitCode: "22") { documentNumber } }` }),
    });
    await waitForLockWaiters(db.url, db.name, 1);
    child.kill("SIGTERM");
    await eventually(() => stdout.includes('"msg":"shutting down"'), "the shutdown to begin", 10_000);
    // no new connections once draining (a refused connection makes fetch reject)
    await eventually(
      () => fetch(`${base}/health`).then(() => false, () => true),
      "the server to stop accepting connections",
      10_000,
    );
    expect(exit).toBeUndefined(); // still waiting for the in-flight request
  } finally {
    await lock.release();
  }
  const response = await inFlight!;
  expect(response.status).toBe(200);
  const body = (await response.json()) as any;
  expect(body.errors).toBeUndefined();
  expect(body.data.plans.length).toBeGreaterThan(0);

  await eventually(() => exit !== undefined, "the process to exit", 15_000);
  expect(exit).toEqual({ code: 0, signal: null });

  const lines = stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l));
  const requests = lines.filter((l) => l.msg === "request");
  expect(requests.length).toBeGreaterThanOrEqual(2);
  for (const line of requests) expect(line.requestId).toEqual(expect.any(String));
  expect(requests).toContainEqual(
    expect.objectContaining({ requestId: missingId, operation: "Missing", status: 200, errorCodes: ["NOT_FOUND"] }),
  );
  expect(requests).toContainEqual(
    expect.objectContaining({ requestId: "in-flight-1", route: "/graphql", operation: "InFlight", status: 200, level: 30 }),
  );
}, 120_000);
