import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Role } from "../src/auth/auth.types";
import { buildServer } from "./support/build-server";
import { errorCode, startHarness, type Harness } from "./support/harness";

/**
 * The tree speaks the caller's language: a look-up that finds nothing on a date, a refused reform (through the API
 * and the command line) say the same thing in Vietnamese and English, with the same codes, fields and rows.
 */
let h: Harness;
let build: ReturnType<typeof buildServer>;
let work: string;
beforeAll(async () => {
  h = await startHarness();
  build = buildServer();
  work = fs.mkdtempSync(path.join(os.tmpdir(), "vnp-i18n-tree-"));
}, 120_000);
afterAll(async () => {
  build?.remove();
  if (work) fs.rmSync(work, { recursive: true, force: true });
  await h?.close();
});

const LOOKUP = `{ orgUnit(code: "193", asOf: "2025-07-01") { name } }`;

describe("a code that named no unit on the date asked (NOT_FOUND)", () => {
  it.each([
    ["vi", "Không có đơn vị nào mang mã 193 vào ngày 2025-07-01; mã này từng là Thành phố Hạ Long từ 2000-01-01 đến 2025-07-01. Hãy hỏi với asOf là một ngày trong khoảng đó."],
    ["en", "No unit has code 193 on 2025-07-01; the code named Thành phố Hạ Long from 2000-01-01 until 2025-07-01. Ask with asOf a date in that span."],
  ] as const)("%s: says when the code named a unit; the extensions stay the same", async (language, message) => {
    const r = await h.gql(LOOKUP, {}, h.token("VN"), language);
    expect(errorCode(r)).toBe("NOT_FOUND");
    expect(r.errors![0]!.message).toBe(message);
    expect(r.errors![0]!.extensions).toMatchObject({ what: "Org unit", key: "193", asOf: "2025-07-01", validSpans: [{ validFrom: "2000-01-01", validTo: "2025-07-01" }] });
  });
});

const RECORD = `mutation($input: RecordReformInput!) { recordReform(input: $input) { closed } }`;
const row = (oldCode: string, newCode: string, relation = "full") => ({ oldCode, oldLevel: "commune", newCode, newLevel: "commune", relation, check: "resolution" });
const refusedBatch = {
  effectiveOn: "2026-08-01",
  rows: [row("03394", "99002"), row("88888", "99002"), row("03395", "99002", "sideways")],
  opens: [{ code: "99002", name: "Xã Thử Hai", level: "commune", type: "Xã", parentCode: "12" }],
  reason: "thử",
};

describe("a reform refused for its rows (BAD_USER_INPUT)", () => {
  it.each([
    [
      "vi",
      /^Có 3 lỗi trong đợt sắp xếp gồm 3 dòng; chưa có gì được ghi\. /,
      [
        "Không có đơn vị nào mang mã 88888 vào ngày 2026-07-31, ngày trước 2026-08-01.",
        "\"sideways\" không phải là quan hệ: hãy dùng full (toàn bộ đơn vị cũ nhập vào đơn vị mới) hoặc partial (một phần).",
        "Không có đơn vị nào mang mã 03395 vào ngày 2026-07-31, ngày trước 2026-08-01.",
      ],
    ],
    [
      "en",
      /^3 problem\(s\) in the reform of 3 rows; nothing was written\. /,
      [
        "No unit has code 88888 on 2026-07-31, the day before 2026-08-01.",
        "\"sideways\" is not a relation: use full (the whole old unit went into the new one) or partial.",
        "No unit has code 03395 on 2026-07-31, the day before 2026-08-01.",
      ],
    ],
  ] as const)("%s: names every bad row; codes, fields and rows are the same", async (language, summary, messages) => {
    const r = await h.gql(RECORD, { input: refusedBatch }, h.token("VN", [Role.ADMIN, Role.VIEWER]), language);
    expect(errorCode(r)).toBe("BAD_USER_INPUT");
    expect(r.errors![0]!.message).toMatch(summary);
    expect(r.errors![0]!.extensions!.field).toBe("rows");
    expect(r.errors![0]!.extensions!.invalidRows).toEqual([
      { list: "rows", index: 1, field: "oldCode", code: "UNKNOWN_OLD_UNIT", message: messages[0] },
      { list: "rows", index: 2, field: "relation", code: "BAD_RELATION", message: messages[1] },
      { list: "rows", index: 2, field: "oldCode", code: "UNKNOWN_OLD_UNIT", message: messages[2] },
    ]);
  });

  it("the levels in a message are named as people say them: a commune is xã/phường, a province tỉnh/thành phố", async () => {
    const batch = { ...refusedBatch, rows: [{ ...row("03394", "99002"), newLevel: "province" }] };
    const [vi, en] = await Promise.all(["vi", "en"].map((l) => h.gql(RECORD, { input: { ...batch } }, h.token("VN", [Role.ADMIN]), l as "vi" | "en")));
    const levelChange = (r: typeof vi) => (r.errors![0]!.extensions!.invalidRows as Array<{ code: string; message: string }>).find((p) => p.code === "LEVEL_CHANGE")!.message;
    expect(levelChange(vi)).toMatch(/^Một đơn vị cấp xã\/phường không thể nhập vào một đơn vị cấp tỉnh\/thành phố/);
    expect(levelChange(en)).toMatch(/^A commune cannot go into a province/);
  });
});

describe("the reform command speaks APP_LANGUAGE", () => {
  const HEADER = "old_code,old_name,old_level,old_parent_code,old_province_code,new_code,new_name,new_level,new_province_code,relation,check";

  function reform(args: string[], language: string): Promise<{ code: number; stdout: string; stderr: string }> {
    const cli = path.join(path.dirname(build.main), "org-unit", "org-unit.reform.cli.js");
    const env = { ...process.env, DATABASE_URL: h.db.url, NODE_ENV: "development", LOG_LEVEL: "warn", NODE_OPTIONS: "", APP_LANGUAGE: language };
    return new Promise((resolve) => {
      execFile(process.execPath, [cli, ...args], { env }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
    });
  }

  it("refuses a bad crosswalk in Vietnamese, naming its lines with the same codes as in English", async () => {
    const bad = path.join(work, "bad.csv");
    fs.writeFileSync(bad, `${HEADER}\n03394,,commune,,12,03394,,commune,12,full,resolution\n77777,,commune,,12,03394,,commune,12,full,bando\n`);
    const args = [bad, "--effective-on", "2026-07-01", "--reason", "thử", "--dry-run"];
    const vi = await reform(args, "vi");
    expect(vi.code).toBe(1);
    expect(vi.stderr).toContain("lỗi trong đợt sắp xếp gồm 2 dòng; chưa có gì được ghi.");
    expect(vi.stderr).toContain("  rows[1] (dòng 3) oldCode UNKNOWN_OLD_UNIT: Không có đơn vị nào mang mã 77777 vào ngày 2026-06-30, ngày trước 2026-07-01.");
    const en = await reform(args, "en");
    expect(en.code).toBe(1);
    expect(en.stderr).toContain("  rows[1] (line 3) oldCode UNKNOWN_OLD_UNIT: No unit has code 77777 on 2026-06-30, the day before 2026-07-01.");
    const codes = (text: string) => [...text.matchAll(/rows\[\d+\] \(\S+ \d+\) \w+ [A-Z_]+/g)].map((m) => m[0].replace(/\(\S+ /, "("));
    expect(codes(vi.stderr)).toEqual(codes(en.stderr));
  }, 120_000);

  it("shows its usage in Vietnamese (--help)", async () => {
    const usage = await reform(["--help"], "vi");
    expect(usage.code).toBe(0);
    expect(usage.stdout).toMatch(/^Ghi nhận một đợt sắp xếp lại cây đơn vị từ một tệp CSV chuyển đổi/);
    expect(usage.stdout).toContain("--dry-run  kiểm tra và đếm");
  }, 60_000);
});
