import type { MessagesOf } from "../src/i18n/i18n.catalog";

/** What the seed commands (npm run seed, seed:registers) and the register readers tell the person running them. */
export const seedMessages: MessagesOf = {
  vi: {
    notSeeded: "Chưa nạp: kế hoạch {{key}} ({{why}}).",
    parentSkipped: "kế hoạch cấp trên {{parentKey}} của nó đã bị bỏ qua",
    unitHoldsPlan: "đơn vị {{unitCode}} đã có kế hoạch {{name}} cho giai đoạn {{periodStart}} - {{periodEnd}}",
    alreadySeeded: "Cơ sở dữ liệu đã có dữ liệu mẫu; không cần làm gì.",
    none: "không có",
    added: "Đã thêm dữ liệu mẫu còn thiếu trong cơ sở dữ liệu: chỉ tiêu {{indicators}}; kế hoạch {{plans}}.",
    registers:
      "Danh mục đơn vị: {{steps}}; mở {{opened, number}} đơn vị, đóng {{closed, number}}, " +
      "{{successions, number}} quan hệ kế thừa, {{renamed, number}} đổi tên, trong {{seconds, number(minimumFractionDigits: 2; maximumFractionDigits: 2)}} giây.",
    skippedRows: "Bỏ qua {{count, number}} dòng chuyển đổi có mã cũ không nằm trong danh sách đơn vị nào: {{codes}}",
    unknownSeed: "Không có bộ dữ liệu mẫu \"{{what}}\": hãy dùng documents hoặc registers.",
    badHeader: "{{file}}: cần dòng tiêu đề {{header}}, nhưng gặp {{found}}",
    nothing: "không có gì",
    badWidth: "{{file}} dòng {{line}}: cần {{width}} trường, nhưng có {{found}}",
    badLevel: "{{file}} dòng {{line}}: cấp \"{{level}}\" không xác định",
    registersRefused: "Đợt sắp xếp ngày {{effectiveOn}} của danh mục đơn vị bị từ chối ({{count, number}} lỗi): {{shown}}",
    renameWithoutUnit: "Đổi tên {{code}} vào ngày {{on}}: không có đơn vị nào mang mã đó qua ngày này",
  },
  en: {
    notSeeded: "Not seeded: plan {{key}} ({{why}}).",
    parentSkipped: "its parent {{parentKey}} was skipped",
    unitHoldsPlan: "unit {{unitCode}} already holds plan {{name}} for {{periodStart}} - {{periodEnd}}",
    alreadySeeded: "The database is already seeded; nothing to do.",
    none: "none",
    added: "Added the seed data missing from the database: indicators {{indicators}}; plans {{plans}}.",
    registers:
      "Registers: {{steps}}; {{opened, number}} units opened, {{closed, number}} closed, " +
      "{{successions, number}} successions, {{renamed, number}} renamed, in {{seconds, number(minimumFractionDigits: 2; maximumFractionDigits: 2)}} s.",
    skippedRows: "Skipped {{count, number}} crosswalk rows whose old code is in no unit list: {{codes}}",
    unknownSeed: "Unknown seed \"{{what}}\": use documents or registers.",
    badHeader: "{{file}}: expected the header {{header}}, found {{found}}",
    nothing: "nothing",
    badWidth: "{{file}} line {{line}}: expected {{width}} fields, found {{found}}",
    badLevel: "{{file}} line {{line}}: unknown level \"{{level}}\"",
    registersRefused: "The registers' reform of {{effectiveOn}} is refused ({{count, number}} problem(s)): {{shown}}",
    renameWithoutUnit: "Rename of {{code}} on {{on}}: no unit bears that code across the date",
  },
};
