import { syncAppRolePassword } from "../src/db/bootstrap";
import { loadAppRole } from "../src/db/app-role";
import { createTestDatabase, type TestDatabase } from "./support/test-database";

/**
 * Every start aligns the application role's password (src/db/bootstrap.ts). Roles are cluster-wide, so processes on
 * other databases of the same cluster do it at the same moment; PostgreSQL refuses the second of two concurrent
 * updates of the role's row ("tuple concurrently updated"). Eight at once, each on its own connection, all succeed.
 */
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ poolSize: 8 });
});
afterAll(() => db?.drop());

it("aligns the application role's password from many connections at once", async () => {
  const role = loadAppRole({ ...process.env, NODE_ENV: "test" });
  const results = await Promise.allSettled(Array.from({ length: 8 }, () => syncAppRolePassword(db.dataSource, role)));
  expect(results.filter((r) => r.status === "rejected")).toEqual([]);
  // and the role still logs in with it
  const [{ can }] = await db.dataSource.query(`SELECT rolcanlogin AS can FROM pg_roles WHERE rolname = $1`, [role.user]);
  expect(can).toBe(true);
});
