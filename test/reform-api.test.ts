import { Role } from "../src/auth/auth.types";
import { errorCode, startHarness, type Harness } from "./support/harness";

/**
 * recordReform and correctSuccession through the API, on the seeded dated tree (the 2025 reform is there).
 * Lai Châu (12) holds 38 communes from 1/7/2025, among them 03388 Phường Đoàn Kết and 03390 Xã Bình Lư.
 */
let h: Harness;
const nationAdmin = () => h.token("VN", [Role.ADMIN, Role.VIEWER], "ministry-admin");
const RECORD = `mutation($input: RecordReformInput!) { recordReform(input: $input) { effectiveOn closed opened successions continued } }`;
const CORRECT = `mutation($input: CorrectSuccessionInput!) { correctSuccession(input: $input) { oldCode newCode on relation previousRelation } }`;
const row = (oldCode: string, newCode: string, relation = "full") => ({ oldCode, oldLevel: "commune", newCode, newLevel: "commune", relation, check: "resolution" });

async function snapshot() {
  const [s] = await h.dataSource.query(
    `SELECT (SELECT md5(string_agg(id || code || coalesce(valid_to::text, '-'), ',' ORDER BY id)) FROM org_unit) AS units,
            (SELECT md5(string_agg(predecessor_id || '>' || successor_id || relation || verification, ',' ORDER BY 1)) FROM org_unit_succession) AS successions,
            (SELECT count(*)::int FROM audit_log) AS audit`,
  );
  return s;
}

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe("recordReform", () => {
  it("merges two communes of Lai Châu into a new one on 2026-07-01: old ones close, the new one opens, linked, audited", async () => {
    const before = await snapshot();
    const r = await h.gql(
      RECORD,
      {
        input: {
          effectiveOn: "2026-07-01",
          rows: [row("03388", "99001"), row("03390", "99001")],
          opens: [{ code: "99001", name: "Phường Thử Nghiệm", level: "commune", type: "Phường", parentCode: "12" }],
          reason: "Nghị quyết thử nghiệm 1/NQ-TEST",
        },
      },
      nationAdmin(),
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.recordReform).toEqual({ effectiveOn: "2026-07-01", closed: 2, opened: 1, successions: 2, continued: 0 });

    const units = await h.gql(
      `{ before: orgUnit(code: "12", asOf: "2026-06-30") { children(first: 1) { totalCount } }
         after: orgUnit(code: "12", asOf: "2026-07-01") { children(first: 1) { totalCount } }
         old: orgUnit(code: "03388", asOf: "2026-06-30") { name validTo successors { unit { code name validFrom } relation on } }
         fresh: orgUnit(code: "99001") { name level parent { code } predecessors { unit { code } relation } } }`,
      {},
      h.token("VN", [Role.VIEWER]),
    );
    expect(units.errors).toBeUndefined();
    expect(units.data.before.children.totalCount).toBe(38);
    expect(units.data.after.children.totalCount).toBe(37);
    expect(units.data.old).toEqual({
      name: "Phường Đoàn Kết",
      validTo: "2026-07-01",
      successors: [{ unit: { code: "99001", name: "Phường Thử Nghiệm", validFrom: "2026-07-01" }, relation: "FULL", on: "2026-07-01" }],
    });
    expect(units.data.fresh.level).toBe("COMMUNE");
    expect(units.data.fresh.parent.code).toBe("12");
    expect(units.data.fresh.predecessors.map((p: any) => p.unit.code).sort()).toEqual(["03388", "03390"]);
    const [audit] = await h.dataSource.query(`SELECT actor, reason, new_value FROM audit_log WHERE action = 'org_unit.reform' ORDER BY id DESC LIMIT 1`);
    expect(audit).toMatchObject({ actor: "ministry-admin", reason: "Nghị quyết thử nghiệm 1/NQ-TEST", new_value: { closed: 2, opened: 1, rows: 2 } });
    expect((await snapshot()).audit).toBe(before.audit + 1);
  });

  it("refuses a batch with bad rows whole, naming every bad row, and writes nothing", async () => {
    const before = await snapshot();
    const r = await h.gql(
      RECORD,
      {
        input: {
          effectiveOn: "2026-08-01",
          rows: [row("03394", "99002"), row("88888", "99002"), row("03395", "99002", "sideways")],
          opens: [{ code: "99002", name: "Xã Thử Hai", level: "commune", type: "Xã", parentCode: "12" }],
          reason: "thử",
        },
      },
      nationAdmin(),
    );
    expect(errorCode(r)).toBe("BAD_USER_INPUT");
    const invalid = r.errors![0]!.extensions!.invalidRows as Array<{ list: string; index: number; code: string; message: string }>;
    expect(invalid.map((p) => [p.list, p.index, p.code])).toEqual(expect.arrayContaining([["rows", 1, "UNKNOWN_OLD_UNIT"], ["rows", 2, "BAD_RELATION"]]));
    expect(invalid.every((p) => p.message.length > 10)).toBe(true);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a bad date with BAD_USER_INPUT naming the field, and anyone but the nation's admins", async () => {
    const before = await snapshot();
    const input = { effectiveOn: "2026-02-30", rows: [row("03394", "03394")], reason: "thử" };
    const bad = await h.gql(RECORD, { input }, nationAdmin());
    expect(errorCode(bad)).toBe("BAD_USER_INPUT");
    expect(bad.errors![0]!.extensions!.field).toBe("input.effectiveOn");
    const province = await h.gql(RECORD, { input: { ...input, effectiveOn: "2026-09-01" } }, h.token("12", [Role.ADMIN]));
    expect(errorCode(province)).toBe("FORBIDDEN");
    const viewer = await h.gql(RECORD, { input: { ...input, effectiveOn: "2026-09-01" } }, h.token("VN", [Role.VIEWER]));
    expect(errorCode(viewer)).toBe("FORBIDDEN");
    expect(await snapshot()).toEqual(before);
  });
});

describe("correctSuccession", () => {
  it("sets a wrong relation right (verification corrected), audited", async () => {
    const r = await h.gql(
      CORRECT,
      { input: { oldCode: "03391", newCode: "03388", on: "2025-07-01", relation: "PARTIAL", reason: "bản đồ cho thấy chỉ một phần" } },
      nationAdmin(),
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.correctSuccession).toEqual({ oldCode: "03391", newCode: "03388", on: "2025-07-01", relation: "PARTIAL", previousRelation: "FULL" });
    const [s] = await h.dataSource.query(
      `SELECT s.relation, s.verification FROM org_unit_succession s JOIN org_unit o ON o.id = s.predecessor_id JOIN org_unit n ON n.id = s.successor_id
        WHERE o.code = '03391' AND n.code = '03388' AND n.valid_from = '2025-07-01'`,
    );
    expect(s).toEqual({ relation: "partial", verification: "corrected" });
    const [audit] = await h.dataSource.query(`SELECT old_value, new_value FROM audit_log WHERE action = 'org_unit.succession_correct' ORDER BY id DESC LIMIT 1`);
    expect(audit).toEqual({ old_value: { relation: "full" }, new_value: { relation: "partial" } });
  });

  it("removes a wrong pair, and the successor's users stop reading the old unit at once", async () => {
    // a commune of today's Lai Châu and one old commune of another code that went wholly into it
    const [pair] = await h.dataSource.query(
      `SELECT o.code AS old_code, n.code AS new_code
         FROM org_unit_succession s JOIN org_unit o ON o.id = s.predecessor_id JOIN org_unit n ON n.id = s.successor_id
         JOIN org_unit p ON p.id = n.parent_id
        WHERE p.code = '12' AND n.valid_to IS NULL AND n.valid_from = '2025-07-01' AND o.code <> n.code AND s.relation = 'full'
        ORDER BY n.code, o.code LIMIT 1`,
    );
    const communeUser = h.token(pair.new_code, [Role.VIEWER]);
    const read = `query($c: String!) { orgUnit(code: $c, asOf: "2024-06-30") { code } }`;
    expect((await h.gql(read, { c: pair.old_code }, communeUser)).data?.orgUnit.code).toBe(pair.old_code);

    const r = await h.gql(CORRECT, { input: { oldCode: pair.old_code, newCode: pair.new_code, on: "2025-07-01", relation: null, reason: "nhầm" } }, nationAdmin());
    expect(r.errors).toBeUndefined();
    expect(r.data.correctSuccession).toMatchObject({ relation: null, previousRelation: "FULL" });
    expect(errorCode(await h.gql(read, { c: pair.old_code }, communeUser))).toBe("NOT_FOUND");
  });

  it("answers NOT_FOUND for units that do not exist on the dates, and BAD_USER_INPUT for a pair to remove that is not there", async () => {
    const before = await snapshot();
    const missing = await h.gql(CORRECT, { input: { oldCode: "88888", newCode: "03388", on: "2025-07-01", relation: "FULL", reason: "thử" } }, nationAdmin());
    expect(errorCode(missing)).toBe("NOT_FOUND");
    const none = await h.gql(CORRECT, { input: { oldCode: "03394", newCode: "03388", on: "2025-07-01", relation: null, reason: "thử" } }, nationAdmin());
    expect(errorCode(none)).toBe("BAD_USER_INPUT");
    expect(await snapshot()).toEqual(before);
  });
});
