import { RequestDb } from "../src/db/request-db";
import pg from "pg";
import { appRoleUrl, loadAppRole } from "../src/db/app-role";
import { createDataSource } from "../src/db/data-source";
import type { DataSource, QueryRunner } from "typeorm";
import { Role } from "../src/auth/auth.types";
import { errorCode, startHarness, type Harness } from "./support/harness";

/**
 * PostgreSQL's own defense: the role the app connects as, row-level security on every table it may
 * touch, and a scope that never outlives its transaction on a pooled connection.
 * The harness runs the server on a pool of ONE connection, so every request reuses the same one.
 */
let h: Harness;
/**
 * Paths of the units of the three-tier tree (as on 2024-06-30: VN, 22, 79 = the old HCMC, 193, 195), and of both
 * sides of the reform in the south-west: the new An Giang (91 from 1/7/2025), old Kiên Giang (91) and old An Giang
 * (89) that became it, and Cà Mau (96, new and old) with old Bạc Liêu (95) that became the new Cà Mau.
 */
const paths: Record<string, string> = {};
/** The units the code named on a date (the owner's look-up). */
const ON = (d: string, alias = "") => {
  const a = alias ? `${alias}.` : "";
  return `${a}valid_from <= DATE '${d}' AND (${a}valid_to IS NULL OR ${a}valid_to > DATE '${d}')`;
};

/** Tables the app role may read or write that hold tenant rows; each must have FORCEd RLS. */
const TENANT_TABLES = ["org_unit", "plan", "target", "target_assignment", "report", "audit_log", "report_summary", "report_submission"];

async function owner<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
  return h.dataSource.query(sql, params);
}

beforeAll(async () => {
  h = await startHarness({ poolSize: 1 });
  for (const r of await owner<{ code: string; path: string }>(
    `SELECT code, path FROM org_unit WHERE code IN ('VN', '22', '79', '193', '195', '89', '91', '95', '96') AND ${ON("2024-06-30")}`,
  )) {
    paths[r.code] = r.path;
  }
  for (const r of await owner<{ code: string; path: string }>(`SELECT code, path FROM org_unit WHERE code IN ('79', '91', '96') AND ${ON("2025-07-01")}`)) {
    paths[`${r.code}@new`] = r.path;
  }
  // one report in Hạ Long (Quảng Ninh), one in Cẩm Phả (its sibling), one in HCMC; one in An Biên (old Kiên Giang)
  // and one in Thành phố Cà Mau (old Cà Mau)
  await owner(
    `INSERT INTO report (unit_id, indicator_id, period_code, period_type, period_start, period_end, value, submitted_by)
     SELECT u.id, (SELECT id FROM indicator ORDER BY id LIMIT 1), '2024', 'year', DATE '2024-01-01', DATE '2024-12-31', 1, 'fixture'
       FROM org_unit u WHERE u.code IN ('193', '195', '79', '908', '964') AND ${ON("2024-01-01")}`,
  );
  await owner(
    `INSERT INTO audit_log (actor, action, entity, entity_id, unit_path) SELECT 'fixture', 'test', 'unit', code, path
       FROM org_unit WHERE code IN ('193', '195', '79') AND ${ON("2024-01-01")}`,
  );
  // Cà Mau's plans: the old province's 2021-2025 plan, and the new province's for the second half of 2025
  await owner(
    `INSERT INTO plan (program_id, unit_id, parent_plan_id, title, period_start, period_end, created_by)
     SELECT p.program_id, u.id, p.id, 'Kế hoạch của Cà Mau ' || x.s, x.s::date, x.e::date, 'fixture'
       FROM plan p, org_unit u, (VALUES ('2021-01-01', '2025-12-31', '2021-01-01'), ('2025-07-01', '2025-12-31', '2025-07-01')) x(s, e, d)
      WHERE p.document_number = '1629/QĐ-TTg' AND u.code = '96' AND u.valid_from <= x.d::date AND (u.valid_to IS NULL OR u.valid_to > x.d::date)`,
  );
});
afterAll(() => h?.close());

describe("the application's database role", () => {
  it("is not superuser, owns nothing, cannot bypass RLS or create roles or databases", async () => {
    const [me] = await h.appDataSource.query(
      `SELECT current_user AS name, r.rolsuper, r.rolbypassrls, r.rolcreaterole, r.rolcreatedb, r.rolreplication,
              (SELECT count(*)::int FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relowner = r.oid AND n.nspname NOT IN ('pg_catalog', 'information_schema')) AS owned_relations,
              (SELECT count(*)::int FROM pg_proc p WHERE p.proowner = r.oid) AS owned_functions,
              (SELECT count(*)::int FROM pg_namespace n WHERE n.nspowner = r.oid) AS owned_schemas,
              (SELECT d.datdba = r.oid FROM pg_database d WHERE d.datname = current_database()) AS owns_database,
              (SELECT count(*)::int FROM pg_auth_members m WHERE m.member = r.oid) AS member_of
         FROM pg_roles r WHERE r.rolname = current_user`,
    );
    expect(me).toEqual({
      name: loadAppRole({ ...process.env, NODE_ENV: "test" }).user,
      rolsuper: false,
      rolbypassrls: false,
      rolcreaterole: false,
      rolcreatedb: false,
      rolreplication: false,
      owned_relations: 0,
      owned_functions: 0,
      owned_schemas: 0,
      owns_database: false,
      member_of: 0,
    });
  });

  it("has RLS enabled and FORCEd, with policies, on every table it may touch; no view or migration table escapes", async () => {
    const app = loadAppRole({ ...process.env, NODE_ENV: "test" }).user;
    const rows: Array<{ name: string; kind: string; rls: boolean; forced: boolean; policies: number; invoker: boolean }> = await owner(
      `SELECT c.relname AS name, c.relkind::text AS kind, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
              (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies,
              coalesce('security_invoker=true' = ANY (c.reloptions) OR 'security_invoker=on' = ANY (c.reloptions), false) AS invoker
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
          AND has_table_privilege($1, c.oid, 'SELECT, INSERT, UPDATE, DELETE')
        ORDER BY 1`,
      [app],
    );
    const tables = rows.filter((r) => r.kind === "r" || r.kind === "p");
    const unprotected = tables.filter((r) => !r.rls || !r.forced || r.policies === 0).map((r) => r.name);
    expect(unprotected).toEqual([]);
    // a view runs as its owner (bypassing RLS) unless security_invoker; materialized views have no RLS at all
    expect(rows.filter((r) => (r.kind === "v" && !r.invoker) || r.kind === "m" || r.kind === "f").map((r) => r.name)).toEqual([]);
    expect(rows.map((r) => r.name)).not.toContain("typeorm_migrations");
    for (const table of TENANT_TABLES) expect(tables.map((r) => r.name)).toContain(table);
  });

  it("sees no row of any table outside a request (no scope set), even on the request's own connection", async () => {
    await h.gql(`{ orgUnit(code: "22") { name } }`, {}, h.token("22")); // the single pooled connection was just used
    const app = loadAppRole({ ...process.env, NODE_ENV: "test" }).user;
    const tables: Array<{ name: string }> = await owner(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND has_table_privilege($1, c.oid, 'SELECT')`,
      [app],
    );
    expect(tables.length).toBeGreaterThanOrEqual(TENANT_TABLES.length);
    for (const { name } of tables) {
      const [{ n }] = await h.appDataSource.query(`SELECT count(*)::int AS n FROM ${name}`);
      const [{ all }] = await owner(`SELECT count(*)::int AS all FROM ${name}`);
      expect({ name, n }).toEqual({ name, n: 0 });
      if (["org_unit", "plan", "report", "indicator"].includes(name)) expect(all).toBeGreaterThan(0);
    }
    const [{ scope }] = await h.appDataSource.query(`SELECT coalesce(current_setting('app.scope_path', true), '') AS scope`);
    expect(scope).toBe("");
    // and it cannot write outside a request either
    await expect(h.appDataSource.query(`UPDATE plan SET title = 'x'`)).resolves.toBeDefined();
    const [{ changed }] = await owner(`SELECT count(*)::int AS changed FROM plan WHERE title = 'x'`);
    expect(changed).toBe(0);
  });
});

describe("row-level security with a scope", () => {
  async function inScope<T>(code: string, work: (db: RequestDb) => Promise<T>, earlierPaths: string[] = []): Promise<T> {
    const db = new RequestDb(h.appDataSource, { unitPath: paths[code]!, earlierPaths, actor: `test-${code}` });
    try {
      const result = await work(db);
      await db.finish(true);
      return result;
    } catch (error) {
      await db.finish(false);
      throw error;
    }
  }

  it("filters a query that forgot its own filter: a district sees its subtree and its ancestors, never a sibling", async () => {
    const seen = await inScope("193", async (db) => ({
      units: await db.query<{ path: string }>(`SELECT path FROM org_unit`),
      plans: await db.query<{ unit_path: string }>(`SELECT unit_path FROM plan`),
      reports: await db.query<{ unit_path: string }>(`SELECT unit_path FROM report`),
      audit: await db.query<{ unit_path: string }>(`SELECT unit_path FROM audit_log`),
    }));
    const own = paths["193"]!;
    for (const u of seen.units) expect(u.path.startsWith(own) || own.startsWith(u.path)).toBe(true);
    expect(seen.units.map((u) => u.path)).toEqual(expect.arrayContaining([paths.VN, paths["22"], own]));
    expect(seen.units.map((u) => u.path)).not.toContain(paths["195"]);
    for (const p of seen.plans) expect(p.unit_path.startsWith(own) || own.startsWith(p.unit_path)).toBe(true);
    expect(seen.reports.map((r) => r.unit_path)).toEqual([own]);
    expect(seen.audit.map((r) => r.unit_path)).toEqual([own]);
  });

  it("shows a district its own assignments and roll-up summaries, and its ancestors', never a sibling's", async () => {
    // reports through the API maintain the summaries of the commune and every ancestor, under RLS: 2024-Q2 of a
    // commune of each district, sent by the province's reporter (district tokens are refused today: districts are gone)
    const communes: Array<{ code: string; district: string }> = await owner(
      `SELECT c.code, d.code AS district FROM org_unit c JOIN org_unit d ON d.id = c.parent_id
        WHERE d.code IN ('193', '195') AND c.code = (SELECT min(x.code) FROM org_unit x WHERE x.parent_id = d.id AND ${ON("2024-06-30", "x")})`,
    );
    expect(communes).toHaveLength(2);
    for (const c of communes) {
      const r = await h.gql(
        `mutation($i: SubmitReportsInput!) { submitReports(input: $i) { inserted } }`,
        { i: { rows: [{ unitCode: c.code, indicatorCode: "AWR_COMMUNE_ACTIVITY", period: "2024-Q2", value: 1 }] } },
        h.token("22", [Role.REPORTER]),
      );
      expect(r.errors).toBeUndefined();
      expect(r.data.submitReports.inserted).toBe(1);
    }
    const visible = await inScope("195", async (db) => ({
      summaries: await db.query<{ path: string }>(`SELECT DISTINCT u.path FROM report_summary s JOIN org_unit u ON u.id = s.unit_id`),
      assignments: await db.query<{ path: string }>(`SELECT u.path FROM target_assignment a JOIN org_unit u ON u.id = a.unit_id`),
    }));
    const own = paths["195"]!;
    const ok = (p: string) => p.startsWith(own) || own.startsWith(p);
    expect(visible.summaries.length).toBeGreaterThan(0);
    expect(visible.summaries.filter((r) => !ok(r.path))).toEqual([]);
    expect(visible.summaries.map((r) => r.path)).toEqual(expect.arrayContaining([own, paths["22"], paths.VN]));
    expect(visible.assignments.filter((r) => !ok(r.path))).toEqual([]);
    const [{ all }] = await owner(`SELECT count(*)::int AS all FROM target_assignment WHERE unit_id <> (SELECT id FROM org_unit WHERE path = $1)`, [paths["195"]]);
    expect(all).toBeGreaterThan(0); // Quảng Ninh names other districts too: hidden from Cẩm Phả
    const [{ total }] = await owner(`SELECT count(DISTINCT s.unit_id)::int AS total FROM report_summary s`);
    expect(total).toBeGreaterThan(visible.summaries.length);
  });

  it("app_assignment_counts tells a caller how many units a visible plan names, never which, and nothing of other plans", async () => {
    // a fixture: HCMC's 2021-2025 plan (the old HCMC's) names one of its districts
    await owner(
      `INSERT INTO target_assignment (plan_id, indicator_id, unit_id, assigned_by)
       SELECT p.id, i.id, u.id, 'fixture' FROM plan p, indicator i, org_unit u
        WHERE p.unit_path = $1 AND i.code = 'PRV_DISTRICT_INTEGRATION' AND u.code = '760' AND ${ON("2024-06-30", "u")}
        LIMIT 1`,
      [paths["79"]],
    );
    const planIds = (await owner<{ plan_id: string }>(`SELECT DISTINCT plan_id FROM target_assignment`)).map((r) => r.plan_id);
    const qnPlan = (await owner<{ id: string }>(`SELECT id FROM plan WHERE unit_path = $1`, [paths["22"]]))[0]!.id;
    const counts = (code: string) =>
      inScope(code, (db) =>
        db.query<Record<string, unknown>>(`SELECT * FROM app_assignment_counts($1::uuid[]) ORDER BY plan_id, indicator_id`, [planIds]),
      );
    const fromCamPha = await counts("195");
    // only Quảng Ninh's plan (an ancestor's), and only counts: all 8 and 5 named districts, the siblings included
    expect(fromCamPha.map((r) => Object.keys(r).sort())).toEqual([["indicator_id", "named", "plan_id"], ["indicator_id", "named", "plan_id"]]);
    expect(fromCamPha.map((r) => [r.plan_id, r.named]).sort()).toEqual([[qnPlan, 5], [qnPlan, 8]]);
    expect((await counts("79")).map((r) => r.named)).toEqual([1]);
    expect((await counts("VN")).length).toBe(3);
    // outside a request (no scope): nothing
    expect(await h.appDataSource.query(`SELECT * FROM app_assignment_counts($1::uuid[])`, [planIds])).toEqual([]);
    // owner-run with a fixed search_path, and not executable by PUBLIC
    const [fn] = await owner(
      `SELECT p.prosecdef, p.proconfig, has_function_privilege('public', p.oid, 'EXECUTE') AS public_may
         FROM pg_proc p WHERE p.proname = 'app_assignment_counts'`,
    );
    expect(fn).toEqual({ prosecdef: true, proconfig: ["search_path=pg_catalog, public"], public_may: false });
  });

  it("refuses writes outside the subtree and leaves the rows unchanged", async () => {
    const before = await owner(`SELECT md5(string_agg(p::text, ',' ORDER BY p.id)) AS sum FROM plan p`);
    // another province's plan: invisible, so nothing to update or delete
    const updated = await inScope("22", (db) =>
      db.query(`WITH w AS (UPDATE plan SET title = 'hijacked' WHERE unit_path LIKE $1 || '%' RETURNING id) SELECT count(*)::int AS n FROM w`, [paths["79"]]),
    );
    expect(updated).toEqual([{ n: 0 }]);
    await inScope("22", (db) => db.query(`DELETE FROM target WHERE plan_id IN (SELECT id FROM plan WHERE unit_path LIKE $1 || '%')`, [paths["79"]]));
    // an ancestor's plan is visible but not writable
    const ancestor = await inScope("22", (db) =>
      db.query(`WITH w AS (UPDATE plan SET title = 'hijacked' WHERE unit_path = $1 RETURNING id) SELECT count(*)::int AS n FROM w`, [paths.VN]),
    );
    expect(ancestor).toEqual([{ n: 0 }]);
    // inserting a report for a unit of another province: its path cannot even be looked up
    await expect(
      inScope("22", (db) =>
        db.query(
          `INSERT INTO report (unit_id, indicator_id, period_code, period_type, period_start, period_end, value, submitted_by)
           VALUES ((SELECT id FROM org_unit WHERE code = '79' AND ${ON("2023-01-01")}), 1, '2023', 'year', '2023-01-01', '2023-12-31', 1, 'x')`,
        ),
      ),
    ).rejects.toThrow();
    // …nor give it a path of its own subtree: the path a writer gives is checked against its unit's (migration 1763902060000)
    const [{ id: otherId }] = await owner(`SELECT id FROM org_unit WHERE path = $1`, [paths["79"]]);
    await expect(
      inScope("22", (db) =>
        db.query(
          `INSERT INTO report (unit_id, unit_path, indicator_id, period_code, period_type, period_start, period_end, value, submitted_by)
           VALUES ($1, $2, 1, '2023', 'year', '2023-01-01', '2023-12-31', 1, 'x')`,
          [otherId, paths["22"]],
        ),
      ),
    ).rejects.toThrow(/unknown org unit/);
    const [{ id: haLongId }] = await owner(`SELECT id FROM org_unit WHERE code = '193' AND ${ON("2023-01-01")}`);
    await expect(
      inScope("22", (db) =>
        db.query(
          `INSERT INTO report (unit_id, unit_path, indicator_id, period_code, period_type, period_start, period_end, value, submitted_by)
           VALUES ($1, $2, 1, '2023', 'year', '2023-01-01', '2023-12-31', 1, 'x')`,
          [haLongId, paths["22"]],
        ),
      ),
    ).rejects.toThrow(/not its own/);
    expect(await owner(`SELECT count(*)::int AS n FROM report WHERE period_code = '2023'`)).toEqual([{ n: 0 }]);
    // nor move a row of its own into another province: by path (WITH CHECK) or by unit (not visible)
    await expect(
      inScope("22", (db) => db.query(`UPDATE plan SET unit_path = $1 WHERE unit_path = $2`, [paths["79"], paths["22"]])),
    ).rejects.toThrow(/row-level security/);
    const [{ id: hcmcId }] = await owner(`SELECT id FROM org_unit WHERE path = $1`, [paths["79"]]);
    await expect(
      inScope("22", (db) => db.query(`UPDATE plan SET unit_id = $1 WHERE unit_path = $2`, [hcmcId, paths["22"]])),
    ).rejects.toThrow(/unknown org unit/);
    // the audit trail is append-only and written only in the caller's own name
    await expect(
      inScope("22", (db) => db.query(`INSERT INTO audit_log (actor, action, entity, entity_id, unit_path) VALUES ('someone-else', 'x', 'plan', '1', $1)`, [paths["22"]])),
    ).rejects.toThrow(/row-level security/);
    await inScope("22", (db) => db.query(`INSERT INTO audit_log (actor, action, entity, entity_id, unit_path) VALUES ('test-22', 'x', 'plan', '1', $1)`, [paths["22"]]));
    await expect(inScope("22", (db) => db.query(`DELETE FROM audit_log`))).rejects.toThrow(/permission denied/);
    await expect(inScope("22", (db) => db.query(`UPDATE audit_log SET actor = 'x'`))).rejects.toThrow(/permission denied/);
    // the catalog is read by all, written only with the national scope
    expect((await inScope("22", (db) => db.query(`SELECT code FROM indicator`))).length).toBeGreaterThan(0);
    expect(await inScope("22", (db) => db.query(`WITH w AS (UPDATE indicator SET name_en = 'x' RETURNING id) SELECT count(*)::int AS n FROM w`))).toEqual([
      { n: 0 },
    ]);
    const after = await owner(`SELECT md5(string_agg(p::text, ',' ORDER BY p.id)) AS sum FROM plan p`);
    expect(after).toEqual(before);
    const [{ n }] = await owner(`SELECT count(*)::int AS n FROM indicator WHERE name_en = 'x'`);
    expect(n).toBe(0);
  });
});

describe("row-level security with earlier paths (a scope across the reform)", () => {
  const KIEN_GIANG_PLANS = ["54/KH-UBND", "94/KH-UBND"];
  async function asNewAnGiang<T>(earlierPaths: string[], work: (db: RequestDb) => Promise<T>, commit = true): Promise<T> {
    const db = new RequestDb(h.appDataSource, { unitPath: paths["91@new"]!, earlierPaths, actor: "test-91" });
    try {
      const result = await work(db);
      await db.finish(commit);
      return result;
    } catch (error) {
      await db.finish(false);
      throw error;
    }
  }
  const read = (db: RequestDb) =>
    Promise.all([
      db.query<{ code: string; path: string }>(`SELECT code, path FROM org_unit`),
      db.query<{ unit_path: string; document_number: string | null; title: string }>(`SELECT unit_path, document_number, title FROM plan`),
      db.query<{ unit_path: string }>(`SELECT unit_path FROM report`),
    ]).then(([units, plans, reports]) => ({ units, plans, reports }));
  const under = (path: string) => (p: string) => p.startsWith(path);

  it("the token's earlier paths are the old provinces that became the new An Giang (old An Giang and old Kiên Giang)", async () => {
    const [{ earlier }] = await owner(`SELECT auth_scope_paths(u.id) AS earlier FROM org_unit u WHERE u.path = $1`, [paths["91@new"]]);
    expect(earlier).toEqual([paths["89"], paths["91"]].sort());
    const [{ caMau }] = await owner(`SELECT auth_scope_paths(u.id) AS "caMau" FROM org_unit u WHERE u.path = $1`, [paths["96@new"]]);
    expect(caMau).toEqual([paths["95"], paths["96"]].sort());
  });

  it("with old Kiên Giang's path among its earlier paths, the new An Giang sees old Kiên Giang's units, plans and reports, and nothing of Cà Mau", async () => {
    const seen = await asNewAnGiang([paths["91"]!], read);
    const newAnGiang = paths["91@new"]!;
    const mine = (p: string) => p.startsWith(newAnGiang) || p.startsWith(paths["91"]!) || newAnGiang.startsWith(p);
    // old Kiên Giang itself, its districts (An Biên) and communes
    expect(seen.units.filter((u) => u.path === paths["91"])).toEqual([{ code: "91", path: paths["91"] }]);
    expect(seen.units.map((u) => u.code)).toEqual(expect.arrayContaining(["908", "30985"]));
    expect(seen.units.filter((u) => u.path.startsWith(paths["91"]!)).length).toBeGreaterThan(100);
    expect(seen.units.filter((u) => !mine(u.path))).toEqual([]);
    // its plans (94/KH-UBND and An Biên's 54/KH-UBND) and its report; the nation's plans as an ancestor's
    expect(seen.plans.filter((p) => p.unit_path.startsWith(paths["91"]!)).map((p) => p.document_number).sort()).toEqual(KIEN_GIANG_PLANS);
    expect(seen.plans.filter((p) => !mine(p.unit_path))).toEqual([]);
    expect(seen.reports.map((r) => r.unit_path).every(under(paths["91"]!))).toBe(true);
    expect(seen.reports).toHaveLength(1);
    // nothing of Cà Mau, old or new, nor of old Bạc Liêu; nor of old An Giang, whose path it was not given
    for (const other of [paths["96"]!, paths["96@new"]!, paths["95"]!, paths["89"]!]) {
      expect({ other, units: seen.units.filter((u) => u.path.startsWith(other)).length }).toEqual({ other, units: 0 });
      expect({ other, plans: seen.plans.filter((p) => p.unit_path.startsWith(other)).length }).toEqual({ other, plans: 0 });
    }
    const [{ caMauPlans }] = await owner(`SELECT count(*)::int AS "caMauPlans" FROM plan WHERE unit_path LIKE $1 || '%' OR unit_path LIKE $2 || '%'`, [
      paths["96"],
      paths["96@new"],
    ]);
    expect(caMauPlans).toBe(2); // there is something to hide
  });

  it("without earlier paths, it sees none of old Kiên Giang", async () => {
    const seen = await asNewAnGiang([], read);
    const newAnGiang = paths["91@new"]!;
    expect(seen.units.filter((u) => u.path.startsWith(paths["91"]!))).toEqual([]);
    expect(seen.plans.filter((p) => p.unit_path.startsWith(paths["91"]!))).toEqual([]);
    expect(seen.reports).toEqual([]);
    // only its own subtree (its 102 communes) and its ancestor
    expect(seen.units.filter((u) => !(u.path.startsWith(newAnGiang) || newAnGiang.startsWith(u.path)))).toEqual([]);
    expect(seen.units.filter((u) => u.path.startsWith(newAnGiang))).toHaveLength(103);
  });

  it("writes follow the earlier paths too: old Kiên Giang's plans, never Cà Mau's, nor moved into Cà Mau", async () => {
    const before = await owner(`SELECT md5(string_agg(p::text, ',' ORDER BY p.id)) AS sum FROM plan p`);
    const touched = await asNewAnGiang(
      [paths["91"]!],
      async (db) => ({
        kienGiang: await db.query(`WITH w AS (UPDATE plan SET title = title || ' (sửa)' WHERE unit_path LIKE $1 || '%' RETURNING id) SELECT count(*)::int AS n FROM w`, [paths["91"]]),
        caMau: await db.query(`WITH w AS (UPDATE plan SET title = 'hijacked' WHERE unit_path LIKE $1 || '%' OR unit_path LIKE $2 || '%' RETURNING id) SELECT count(*)::int AS n FROM w`, [
          paths["96"],
          paths["96@new"],
        ]),
      }),
      false, // rolled back
    );
    expect(touched).toEqual({ kienGiang: [{ n: 2 }], caMau: [{ n: 0 }] });
    await expect(
      asNewAnGiang([paths["91"]!], (db) => db.query(`UPDATE plan SET unit_path = $1 WHERE unit_path = $2`, [paths["96"], paths["91"]])),
    ).rejects.toThrow(/row-level security/);
    expect(await owner(`SELECT md5(string_agg(p::text, ',' ORDER BY p.id)) AS sum FROM plan p`)).toEqual(before);
  });

  it("checks each row with one inlined expression: the plan calls no scope function per row, the earlier paths only when the own path says no", async () => {
    const plan = async (sql: string) =>
      asNewAnGiang([paths["91"]!], async (db) =>
        (await db.query<{ "QUERY PLAN": string }>(`EXPLAIN (VERBOSE) ${sql}`)).map((r) => r["QUERY PLAN"]).join("\n"),
      );
    for (const [table, column] of [["report_summary", "unit_path"], ["report", "unit_path"], ["org_unit", "path"], ["plan", "unit_path"]] as const) {
      const text = await plan(`SELECT * FROM ${table} WHERE ${column} LIKE '/%'`);
      expect(text).not.toMatch(/app_in_subtree(_or_ancestor)?\(/);
      expect(text).toContain("current_setting('app.scope_path'");
      expect(text).toContain("app_scope_earlier_related(");
    }
  });

  it("through the API: the new An Giang's token reads old Kiên Giang and not Cà Mau", async () => {
    const anGiang = h.token("91", [Role.VIEWER]);
    const r = await h.gql(
      `{ old: orgUnit(code: "91", asOf: "2024-06-30") { name validTo } anBien: orgUnit(code: "908", asOf: "2024-06-30") { name }
         plans(unitCode: "91", asOf: "2018-06-30") { documentNumber } }`,
      {},
      anGiang,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ old: { name: "Tỉnh Kiên Giang", validTo: "2025-07-01" }, anBien: { name: "Huyện An Biên" }, plans: [{ documentNumber: "94/KH-UBND" }] });
    for (const query of [`{ orgUnit(code: "96", asOf: "2024-06-30") { name } }`, `{ orgUnit(code: "96") { name } }`, `{ plans(unitCode: "96", asOf: "2024-06-30") { id } }`]) {
      expect({ query, code: errorCode(await h.gql(query, {}, anGiang)) }).toEqual({ query, code: "NOT_FOUND" });
    }
  });
});

describe("a pool of one connection", () => {
  it("never carries one request's scope into the next, also after a request failed mid-transaction", async () => {
    const quangNinh = h.token("22", [Role.VIEWER]);
    const hcmc = h.token("79", [Role.VIEWER]);
    const pid = async (code: string) => {
      const db = new RequestDb(h.appDataSource, { unitPath: paths[code]!, earlierPaths: [], actor: "pid" });
      const [{ p }] = await db.query<{ p: number }>(`SELECT pg_backend_pid() AS p`);
      await db.finish(true);
      return p;
    };
    const connection = await pid("22");

    // 1. Quảng Ninh reads its plans
    const a = await h.gql(`{ plans(unitCode: "22") { id title } }`, {}, quangNinh);
    expect(a.errors).toBeUndefined();
    expect(a.data.plans.length).toBeGreaterThan(0);

    // 2. a Quảng Ninh request that fails mid-transaction: the database raises after the scope was set
    const failing = new RequestDb(h.appDataSource, { unitPath: paths["22"]!, earlierPaths: [], actor: "boom" });
    await failing.query(`SELECT count(*) FROM plan`);
    await expect(failing.query(`SELECT 1 / 0`)).rejects.toThrow(/division by zero/);
    await failing.finish(false);
    // and one that fails in a resolver after its SQL ran (NOT_FOUND rolls the request back)
    const b = await h.gql(`{ orgUnit(code: "22") { name } plan(id: "00000000-0000-4000-8000-000000000000") { id } }`, {}, quangNinh);
    expect(errorCode(b)).toBe("NOT_FOUND");

    // 3. HCMC (the new one, today) on the same connection sees nothing of Quảng Ninh
    const c = await h.gql(`{ plans(unitCode: "22") { id title } }`, {}, hcmc);
    expect(errorCode(c)).toBe("NOT_FOUND");
    expect(c.data ?? null).toBeNull();
    const raw = new RequestDb(h.appDataSource, { unitPath: paths["79@new"]!, earlierPaths: [paths["79"]!], actor: "check" });
    const [{ scope, earlier, qn }] = await raw.query<{ scope: string; earlier: string; qn: number }>(
      `SELECT current_setting('app.scope_path', true) AS scope, current_setting('app.scope_earlier_paths', true) AS earlier,
              (SELECT count(*)::int FROM plan WHERE unit_path LIKE $1 || '%') AS qn`,
      [paths["22"]],
    );
    await raw.finish(true);
    expect({ scope, earlier }).toEqual({ scope: paths["79@new"], earlier: paths["79"] });
    expect(qn).toBe(0);
    // its own plans: none of the new HCMC's yet; the old HCMC's 2021-2025 plan through its earlier paths
    const d = await h.gql(`{ now: plans(unitCode: "79") { id } before: plans(unitCode: "79", asOf: "2024-06-30") { documentNumber } }`, {}, hcmc);
    expect(d.errors).toBeUndefined();
    expect(d.data.now).toEqual([]);
    expect(d.data.before).toEqual([{ documentNumber: "702/QĐ-UBND" }]);

    // 4. the earlier paths do not outlive their request either: the new An Giang reads old Kiên Giang's plan, then
    // Quảng Ninh, on the same connection, does not
    const kienGiangPlans = `{ plans(unitCode: "91", asOf: "2018-06-30") { documentNumber } }`;
    const e = await h.gql(kienGiangPlans, {}, h.token("91", [Role.VIEWER]));
    expect(e.errors).toBeUndefined();
    expect(e.data.plans).toEqual([{ documentNumber: "94/KH-UBND" }]);
    expect(errorCode(await h.gql(kienGiangPlans, {}, quangNinh))).toBe("NOT_FOUND");

    // 5. outside any request the same connection has no scope and no rows
    const [{ scope: none, earlier: noEarlier, plans }] = await h.appDataSource.query(
      `SELECT coalesce(current_setting('app.scope_path', true), '') AS scope, coalesce(current_setting('app.scope_earlier_paths', true), '') AS earlier,
              (SELECT count(*)::int FROM plan) AS plans`,
    );
    expect({ none, noEarlier, plans }).toEqual({ none: "", noEarlier: "", plans: 0 });
    expect(await pid("79")).toBe(connection);
  });
});

describe("one round trip a statement: a query reads without a transaction, a write opens its transaction with its first statement", () => {
  /** What the request sends PostgreSQL, counted on pg's protocol writer: simple queries (by text) and Syncs. */
  async function sent<T>(work: () => Promise<T>): Promise<{ result: T; simple: string[]; syncs: number }> {
    const writer = pg.Connection.prototype as unknown as { query(text: string): void; sync(): void };
    const { query, sync } = writer;
    const simple: string[] = [];
    let syncs = 0;
    writer.query = function (this: unknown, text: string) {
      simple.push(text);
      return query.call(this, text);
    };
    writer.sync = function (this: unknown) {
      syncs++;
      return sync.call(this);
    };
    try {
      return { result: await work(), simple, syncs };
    } finally {
      Object.assign(writer, { query, sync });
    }
  }
  const reader = (code: string) => {
    const db = new RequestDb(h.appDataSource, { unitPath: paths[code]!, earlierPaths: [], actor: `reader-${code}` });
    db.onlyReads();
    return db;
  };

  it("sends each statement with its scope in one round trip, opens no transaction, and leaves no scope behind", async () => {
    const db = reader("22");
    const { result, simple, syncs } = await sent(async () => {
      const first = await db.query<{ scope: string; actor: string; readOnly: string; plans: number }>(
        `SELECT current_setting('app.scope_path') AS scope, current_setting('app.actor') AS actor,
                current_setting('transaction_read_only') AS "readOnly", (SELECT count(*)::int FROM plan) AS plans`,
      );
      // parameters are mapped as pg maps them (an array, a date), and a prepared statement too
      const second = await db.query<{ n: number; d: string }>(`SELECT cardinality($1::int[]) AS n, $2::date::text AS d`, [[1, 2, 3], "2025-07-01"], {
        prepare: true,
      });
      const again = await db.query<{ n: number; d: string }>(`SELECT cardinality($1::int[]) AS n, $2::date::text AS d`, [[4], "2026-01-01"], { prepare: true });
      return { first: first[0]!, second: second[0]!, again: again[0]! };
    });
    await db.finish(true);
    expect(result.first).toEqual({ scope: paths["22"], actor: "reader-22", readOnly: "on", plans: expect.any(Number) });
    expect(result.first.plans).toBeGreaterThan(0);
    expect(result.second).toEqual({ n: 3, d: "2025-07-01" });
    expect(result.again).toEqual({ n: 1, d: "2026-01-01" });
    // one Sync a statement, and no START TRANSACTION / COMMIT: three round trips for three statements
    expect({ simple, syncs }).toEqual({ simple: [], syncs: 3 });
    // the same (only) connection, outside any request: no scope, no rows
    const [after] = await h.appDataSource.query(
      `SELECT coalesce(current_setting('app.scope_path', true), '') AS scope, current_setting('transaction_read_only') AS "readOnly", (SELECT count(*)::int FROM plan) AS plans`,
    );
    expect(after).toEqual({ scope: "", readOnly: "off", plans: 0 });
  });

  it("refuses a write, and a failed statement leaves the next one its scope", async () => {
    const before = await owner<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log`);
    const db = reader("22");
    await expect(
      db.query(`INSERT INTO audit_log (actor, action, entity, entity_id, unit_path) VALUES ('reader', 'test', 'unit', '22', $1)`, [paths["22"]]),
    ).rejects.toThrow(/read-only transaction/);
    await expect(db.query(`SELECT 1 / 0`)).rejects.toThrow(/division by zero/);
    const [{ scope }] = await db.query<{ scope: string }>(`SELECT current_setting('app.scope_path') AS scope`);
    await db.finish(false);
    expect(scope).toBe(paths["22"]);
    expect(await owner<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log`)).toEqual(before);
  });

  it("is how the server runs a query: its statements only, no transaction around them; a mutation still opens one", async () => {
    const quangNinh = h.token("22", [Role.VIEWER]);
    const query = await sent(() => h.gql(`{ plans(unitCode: "22") { id title } }`, {}, quangNinh));
    expect(query.result.errors).toBeUndefined();
    expect(query.result.data.plans.length).toBeGreaterThan(0);
    expect(query.simple).toEqual([]);
    // the token's unit (one statement on the pool), then the query's own statements
    expect(query.syncs).toBe(1 + query.result.statements);
    const mutation = await sent(() =>
      h.gql(`mutation { submitReports(input: { rows: [{ unitCode: "22", indicatorCode: "NOPE", period: "2025", value: 1 }] }) { received } }`, {}, h.token("22")),
    );
    expect(errorCode(mutation.result)).toBe("BAD_USER_INPUT");
    // its transaction opened with its first statement (no round trip of its own), and rolled back
    expect(mutation.simple).toEqual(["ROLLBACK"]);
    expect(mutation.syncs).toBe(1 + mutation.result.statements);
  });

  it("a write opens its transaction with its first statement, in the same round trip, and holds it to COMMIT", async () => {
    const db = new RequestDb(h.appDataSource, { unitPath: paths["22"]!, earlierPaths: [], actor: "writer-22" });
    const before = await owner<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE actor = 'writer-22'`);
    const { result, simple, syncs } = await sent(async () => {
      const [first] = await db.query<{ xid: string; scope: string; readOnly: string }>(
        `INSERT INTO audit_log (actor, action, entity, entity_id, unit_path) VALUES (current_setting('app.actor'), 'test', 'unit', '22', $1)
         RETURNING pg_current_xact_id()::text AS xid, current_setting('app.scope_path') AS scope, current_setting('transaction_read_only') AS "readOnly"`,
        [paths["22"]],
      );
      const [second] = await db.query<{ xid: string; seen: number }>(
        `SELECT pg_current_xact_id()::text AS xid, (SELECT count(*)::int FROM audit_log WHERE actor = 'writer-22') AS seen`,
      );
      // not yet committed: another connection does not see the row
      const outside = await owner<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE actor = 'writer-22'`);
      await db.finish(true);
      return { first: first!, second: second!, outside: outside[0]!.n };
    });
    expect(result.first).toEqual({ xid: result.second.xid, scope: paths["22"], readOnly: "off" });
    expect(result.second.seen).toBe(before[0]!.n + 1);
    expect(result.outside).toBe(before[0]!.n);
    // the first statement (with START TRANSACTION and the settings ahead) is the one extended-protocol round trip; the
    // second has no parameters (a simple query), as has the owner's look-up; no round trip opened the transaction
    expect({ simple, syncs }).toEqual({ simple: [expect.stringMatching(/^SELECT pg_current_xact_id/), expect.stringMatching(/^SELECT count/), "COMMIT"], syncs: 1 });
    expect(await owner<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE actor = 'writer-22'`)).toEqual([{ n: before[0]!.n + 1 }]);
  });

  it("settings asked once a write's transaction is open hold for its next statements, and end with it", async () => {
    const [{ jit: before }] = await h.appDataSource.query(`SELECT current_setting('jit') AS jit`);
    const db = new RequestDb(h.appDataSource, { unitPath: paths["22"]!, earlierPaths: [], actor: "configured-22" });
    await db.query(`SELECT 1`);
    await db.configure({ jit: before === "on" ? "off" : "on" });
    const [{ jit, scope }] = await db.query<{ jit: string; scope: string }>(`SELECT current_setting('jit') AS jit, current_setting('app.scope_path') AS scope`);
    await db.finish(true);
    expect({ jit, scope }).toEqual({ jit: before === "on" ? "off" : "on", scope: paths["22"] });
    const [{ jit: after }] = await h.appDataSource.query(`SELECT current_setting('jit') AS jit`);
    expect(after).toBe(before);
  });

  it("a write's first statement answers as TypeORM answers it: an UPDATE with its count", async () => {
    const db = new RequestDb(h.appDataSource, { unitPath: paths["22"]!, earlierPaths: [], actor: "updater-22" });
    const answer = await db.query(`UPDATE plan SET title = title WHERE false`);
    await db.finish(false);
    expect(answer).toEqual([[], 0]);
  });

  it("a statement whose first round trip failed is prepared anew on its next use, and so are the settings ahead of it", async () => {
    const app = loadAppRole({ ...process.env, NODE_ENV: "test" }).user;
    await owner(`DROP TABLE IF EXISTS later_table`);
    const db = reader("22");
    // settings of their own (jit): their statement is new to the connection, so it is parsed in the failing round trip
    await db.configure({ jit: "off" });
    const later = `SELECT count(*)::int AS n FROM later_table`;
    try {
      await expect(db.query(later, [], { prepare: true })).rejects.toThrow(/later_table/);
      await owner(`CREATE TABLE later_table (x int)`);
      await owner(`GRANT SELECT ON later_table TO ${app}`);
      expect(await db.query(later, [], { prepare: true })).toEqual([{ n: 0 }]);
      expect(await db.query<{ jit: string; scope: string }>(`SELECT current_setting('jit') AS jit, current_setting('app.scope_path') AS scope`)).toEqual([
        { jit: "off", scope: paths["22"] },
      ]);
    } finally {
      await db.finish(true);
      await owner(`DROP TABLE IF EXISTS later_table`);
    }
  });

  describe("a read routed to a replica", () => {
    let replica: DataSource;
    beforeAll(async () => {
      // a second pool on the same database stands in for a replica: its connections say who they are
      replica = createDataSource(appRoleUrl(h.db.url, loadAppRole({ ...process.env, NODE_ENV: "test" })), { poolSize: 1, applicationName: "stand-in-replica" });
      await replica.initialize();
    });
    afterAll(() => replica.destroy());
    const routed = (dataSource: DataSource) => {
      const db = reader("22");
      db.route = async () => dataSource;
      return db;
    };
    const served = `SELECT current_setting('application_name') AS by, current_setting('app.scope_path') AS scope`;

    it("is answered by the primary when the replica's connection died after it was taken", async () => {
      // the connection dies between the pool's checkout and the statement (a replica that went down since its last check)
      const dying = Object.create(replica) as DataSource;
      dying.createQueryRunner = () => {
        const runner = replica.createQueryRunner();
        const connect = runner.connect.bind(runner);
        runner.connect = async () => {
          const client = await connect();
          (client as pg.ClientBase & { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
          return client;
        };
        return runner as QueryRunner;
      };
      const db = routed(dying);
      const [answer] = await db.query<{ by: string; scope: string }>(served);
      await db.finish(true);
      expect(answer).toEqual({ by: "vn-program-plans", scope: paths["22"] });
      // and the stand-in's pool opens a fresh connection for the next read
      const next = routed(replica);
      const [again] = await next.query<{ by: string }>(served);
      await next.finish(true);
      expect(again!.by).toBe("stand-in-replica");
    });

    it("keeps the replica's own SQL errors: they are not retried on the primary", async () => {
      const db = routed(replica);
      await expect(db.query(`SELECT 1 / 0`)).rejects.toThrow(/division by zero/);
      const [after] = await db.query<{ by: string }>(served);
      await db.finish(false);
      expect(after!.by).toBe("stand-in-replica");
    });
  });

  it("a write whose first statement fails rolls back what ran ahead of it, and hands back a clean connection", async () => {
    const db = new RequestDb(h.appDataSource, { unitPath: paths["22"]!, earlierPaths: [], actor: "failing-writer" });
    await expect(db.query(`INSERT INTO audit_log (actor, action, entity, entity_id, unit_path) VALUES ('x', 'test', 'unit', '22', 1 / 0)`)).rejects.toThrow(
      /division by zero/,
    );
    await expect(db.query(`SELECT 1`)).rejects.toThrow(/current transaction is aborted/);
    await db.finish(false);
    const [after] = await h.appDataSource.query(
      `SELECT coalesce(current_setting('app.scope_path', true), '') AS scope, (SELECT count(*)::int FROM plan) AS plans, now() = statement_timestamp() AS "ownTransaction"`,
    );
    expect(after).toEqual({ scope: "", plans: 0, ownTransaction: true });
  });
});
