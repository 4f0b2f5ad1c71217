import type { PeriodType } from "../src/common/enums";
import type { PlanSeed } from "./seed.types";

/**
 * When a plan's reports are due, per period type (src/reporting-status/reporting-status.rules.ts): N days after the
 * period's last day, or day D of the month M months after its last month (M = 0: that month). Quoted from the plan.
 */
export interface DeadlineSeed {
  periodType: PeriodType;
  daysAfterEnd?: number;
  monthsAfterEnd?: number;
  day?: number;
  /** the document's own words for it, quoted */
  sourceText: string;
}

/**
 * Seed plans of the prostitution-prevention program (phòng, chống mại dâm), parents before children.
 *
 * Where the numbers come from:
 * - national-2021-2025: shared/data/national-targets-1629.md section A (N-1..N-8). These are NOT the
 *   decision's own words: they are national values as reported by the press ([N1] a report of 1629,
 *   [N2] a report of the ministry's implementing plan 808/QĐ-LĐTBXH), condensed in Vietnamese. Their
 *   sourceText is that condensed wording. Section B rows (reports handled, crimes handled, sex workers
 *   supported, pilot models, training, business commitment) have no national value and are left out.
 *   N-6 and N-7 count provinces nationally; in the catalog they map to the district indicators
 *   PRV_DISTRICT_OWN_PLAN / PRV_DISTRICT_INTEGRATION (the unit counted drops one level in the provinces).
 * - Provincial and district plans: the documents in shared/seeds/*.txt; every sourceText is a short verbatim
 *   quote, OCR slips included (HCMC writes "tổ giác" for "tố giác").
 *
 * Judgement calls:
 * - Quảng Ninh "tăng 4 ± 6%" is read as an OCR slip for 4-6% (changeLow 4, changeHigh 6), as DOMAIN.md says.
 * - Quảng Ninh's stored text has no number and no date of its own: documentNumber and issuedOn are left
 *   undefined. It was issued after Sở LĐTBXH letter 3599/LĐTBXH-PCTNXH (19/10/2021) and before 15/11/2021
 *   (the date by which it asks for the districts' plans).
 * - "đến năm 2025, 100% các cơ sở được kiểm tra ít nhất 1 lần" is a cumulative_deadline with deadline
 *   2025-12-31.
 * - Lai Châu 2025 "70% người làm công tác phòng, chống tệ nạn xã hội các cấp" gives 70 for both
 *   TRN_STAFF_PROVINCIAL and TRN_STAFF_LOCAL; "100% học sinh, sinh viên tại các trường THPT, Trường Cao đẳng
 *   Lai Châu" is AWR_STUDENTS_INFORMED 100; "ít nhất 90% số cơ sở" (for the year 2025) is
 *   ENF_BUSINESSES_INSPECTED_YEAR 90; "ít nhất 01 địa bàn huyện, thành phố" is a count_floor of 1 district.
 * - Lai Châu 3742/KH-UBND (2021-2025) is known only from the citation in 434/KH-UBND: no targets of its own.
 * - Kiên Giang 94/KH-UBND is known only from the citation in An Biên's 54/KH-UBND, which quotes no number
 *   from it: no targets. An Biên's plan has no numeric targets (it inherits). The Sở LĐTBXH Kiên Giang plan
 *   26/KH-LĐTĐTBXH (09/03/2020), also cited by An Biên, is not seeded.
 * - Nghệ An: the news report of 98/KH-UBND gives neither its date nor its exact title (the report is dated
 *   13/03/2020, so the plan predates it); its title below is built from the report's words. The report's
 *   only number, "chỉ đạo 100% xã, phường, thị trấn triển khai công tác phòng, chống mại dâm tại địa phương",
 *   is a task for the districts (communes carrying out prevention work in general) and does not match a
 *   catalog indicator (AWR_COMMUNE_ACTIVITY asks for an awareness activity kept up regularly), so 98 has
 *   no targets. The province's 2016-2020 program plan has no number, date or text in the seeds; it is
 *   seeded from DOMAIN.md as the parent of 98, with a title that says what it is.
 *
 * Reporting deadlines (`deadlines`), where a document dates its reports:
 * - Quảng Ninh (shared/seeds/004_c263d7a85ad8ac5b.txt, section "Tổ chức thực hiện", point 1): "Hằng năm, định kỳ
 *   báo cáo kết quả thực hiện về Ủy ban nhân dân tỉnh (qua Sở Lao động - Thương binh và Xã hội tổng hợp) trước ngày
 *   15/6 (đối với báo cáo 6 tháng) và trước ngày 15/12 (đối với báo cáo tổng kết năm)". Half-years and years: day 15
 *   of the period's last month. That gives H1 15/6 and the year 15/12 as written; H2's report is the year's summary,
 *   due the same 15/12 under the same rule. "Trước ngày 15/6" is read as due by 15/6 (on time through that day).
 * - Lai Châu 434/KH-UBND (shared/seeds/000_7bfbdb3e671d5830.txt, section V, point 1): "Báo cáo kết quả thực hiện kế
 *   hoạch về Sở Lao động - Thương binh và Xã hội trước ngày 15/12/2025": its year's reports by 15/12 (a yearly plan).
 * - No date to seed: HCMC 702/QĐ-UBND asks for reports "định kỳ hàng quý, 6 tháng và cả năm" without a date; An Biên
 *   54/KH-UBND "định kỳ báo cáo 6 tháng, năm" without one; the national figures, Kiên Giang 94/KH-UBND, Lai Châu
 *   3742/KH-UBND and Nghệ An's texts are not in the seeds. No quarter deadline is seeded anywhere.
 */
export const PLANS: Array<PlanSeed & { deadlines?: DeadlineSeed[] }> = [
  // ---------------------------------------------------------------- nation
  {
    key: "national-2021-2025",
    unitCode: "VN",
    title: "Quyết định phê duyệt Chương trình phòng, chống mại dâm giai đoạn 2021 - 2025",
    documentNumber: "1629/QĐ-TTg",
    issuedOn: "2021-09-28",
    periodStart: "2021-01-01",
    periodEnd: "2025-12-31",
    source:
      "shared/data/national-targets-1629.md section A (press reports [N1], [N2]; condensed, not the decision's verbatim text)",
    targets: [
      {
        // N-1
        indicator: "AWR_COMMUNE_ACTIVITY",
        kind: "share_floor",
        share: 70,
        sourceText:
          "ít nhất 70% số xã, phường, thị trấn (cấp xã) tổ chức được ít nhất một hình thức tuyên truyền về phòng ngừa mại dâm và được duy trì thường xuyên",
      },
      {
        // N-2
        indicator: "AWR_PRESS_FREQUENCY",
        kind: "frequency",
        frequencyInterval: "month",
        sourceText:
          "thông tin về phòng, chống mại dâm được đăng tải trên cơ quan báo chí cấp trung ương và cấp tỉnh ít nhất một tháng một lần",
      },
      {
        // N-3
        indicator: "AWR_RISKY_WORKERS_INFORMED",
        kind: "share_floor",
        share: 70,
        sourceText:
          "ít nhất 70% người lao động tại các cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm được tuyên truyền, phổ biến chính sách, pháp luật",
      },
      {
        // N-4
        indicator: "AWR_IZ_WORKERS_INFORMED",
        kind: "share_floor",
        share: 60,
        sourceText: "ít nhất 60% người lao động trong các khu công nghiệp được tuyên truyền",
      },
      {
        // N-5
        indicator: "AWR_STUDENTS_INFORMED",
        kind: "share_floor",
        share: 70,
        sourceText:
          "70% học sinh, sinh viên các trường trung học phổ thông, cơ sở giáo dục đại học và cơ sở giáo dục nghề nghiệp được tuyên truyền",
      },
      {
        // N-6 (nationally: share of provinces)
        indicator: "PRV_DISTRICT_OWN_PLAN",
        kind: "share_floor",
        share: 100,
        sourceText:
          "100% các tỉnh, thành phố trực thuộc trung ương xây dựng kế hoạch và tổ chức thực hiện các hoạt động phòng, chống tệ nạn mại dâm",
      },
      {
        // N-7 (nationally: share of provinces)
        indicator: "PRV_DISTRICT_INTEGRATION",
        kind: "share_floor",
        share: 50,
        sourceText:
          "ít nhất 50% các tỉnh, thành phố trực thuộc trung ương lồng ghép nhiệm vụ phòng, chống tệ nạn mại dâm với việc thực hiện các chương trình phát triển kinh tế - xã hội",
      },
      {
        // N-8, first half
        indicator: "ENF_BUSINESSES_INSPECTED_YEAR",
        kind: "share_floor",
        share: 20,
        sourceText:
          "mỗi năm tổ chức kiểm tra ít nhất 20% số cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm trên địa bàn",
      },
      {
        // N-8, second half
        indicator: "ENF_BUSINESSES_INSPECTED_ONCE",
        kind: "cumulative_deadline",
        share: 100,
        deadline: "2025-12-31",
        sourceText: "đến năm 2025, 100% các cơ sở được kiểm tra ít nhất 1 lần",
      },
    ],
  },

  // ---------------------------------------------------------------- TP Hồ Chí Minh (79)
  {
    key: "hcm-2021-2025",
    unitCode: "79",
    parentKey: "national-2021-2025",
    title: "Kế hoạch phòng, chống mại dâm giai đoạn 2021 - 2025 trên địa bàn Thành phố Hồ Chí Minh",
    documentNumber: "702/QĐ-UBND",
    issuedOn: "2022-03-14",
    periodStart: "2021-01-01",
    periodEnd: "2025-12-31",
    source: "shared/seeds/002_e64c1fa7226361e8.txt",
    targets: [
      {
        indicator: "AWR_COMMUNE_ACTIVITY",
        kind: "share_floor",
        share: 100,
        sourceText:
          "100% phường, xã, thị trấn trên địa bàn Thành phố tổ chức được ít nhất một hình thức tuyên truyền về phòng, ngừa mại dâm và được duy trì thường xuyên",
      },
      {
        indicator: "AWR_PRESS_FREQUENCY",
        kind: "frequency",
        frequencyInterval: "month",
        sourceText:
          "Thông tin về phòng, chống mại dâm được đăng tải trên cơ quan báo chí của Thành phố và trên các trang thông tin của thành phố Thủ Đức và các quận, huyện ít nhất một tháng một lần",
      },
      {
        indicator: "AWR_RISKY_WORKERS_INFORMED",
        kind: "share_floor",
        share: 70,
        sourceText:
          "Ít nhất 70% người lao động tại các cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm",
      },
      {
        indicator: "AWR_IZ_WORKERS_INFORMED",
        kind: "share_floor",
        share: 60,
        sourceText: "ít nhất 60% người lao động trong các khu công nghiệp, khu chế xuất",
      },
      {
        indicator: "AWR_STUDENTS_INFORMED",
        kind: "share_floor",
        share: 70,
        sourceText:
          "70% học sinh, sinh viên các trường trung học phổ thông, cơ sở giáo dục đại học và cơ sở giáo dục nghề nghiệp được tuyên truyền",
      },
      {
        indicator: "PRV_DISTRICT_OWN_PLAN",
        kind: "share_floor",
        share: 100,
        sourceText:
          "100% quận, huyện, thành phố Thủ Đức xây dựng kế hoạch và tổ chức thực hiện các hoạt động phòng, chống tệ nạn mại dâm",
      },
      {
        indicator: "PRV_DISTRICT_INTEGRATION",
        kind: "share_floor",
        share: 50,
        sourceText:
          "Ít nhất 50% quận, huyện, thành phố Thủ Đức lồng ghép nhiệm vụ phòng, chống tệ nạn mại dâm với việc thực hiện các chương trình phát triển kinh tế - xã hội",
      },
      {
        indicator: "ENF_REPORTS_HANDLED",
        kind: "share_floor",
        share: 100,
        sourceText:
          "100% tổ giác, tin báo, khiếu nại hành vi vi phạm pháp luật về phòng, chống mại dâm được tiếp nhận, xác minh, phân loại, xử lý kịp thời",
      },
      {
        indicator: "ENF_CRIMES_HANDLED",
        kind: "change_range",
        changeLow: 3,
        changeHigh: 5,
        sourceText:
          "Hằng năm, tăng 3 - 5% số tội phạm liên quan đến mại dâm được xử lý theo quy định của pháp luật",
      },
      {
        indicator: "ENF_BUSINESSES_INSPECTED_YEAR",
        kind: "share_floor",
        share: 20,
        sourceText:
          "tổ chức kiểm tra ít nhất 20% số cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm trên địa bàn Thành phố",
      },
      {
        indicator: "ENF_BUSINESSES_INSPECTED_ONCE",
        kind: "cumulative_deadline",
        share: 100,
        deadline: "2025-12-31",
        sourceText: "đến năm 2025, 100% các cơ sở được kiểm tra ít nhất một lần",
      },
      {
        indicator: "HRM_SEX_WORKERS_SUPPORTED",
        kind: "share_floor",
        share: 100,
        sourceText:
          "100% số người bán dâm có nhu cầu và đủ điều kiện được tiếp cận và sử dụng các dịch vụ hỗ trợ xã hội, hòa nhập cộng đồng",
      },
      {
        indicator: "HRM_PILOT_MODEL_DISTRICTS",
        kind: "share_floor",
        share: 10,
        sourceText:
          "Ít nhất 10% quận, huyện, thành phố Thủ Đức xây dựng, triển khai mô hình thí điểm về phòng ngừa mại dâm, hỗ trợ can thiệp giảm hại",
      },
      {
        indicator: "TRN_STAFF_PROVINCIAL",
        kind: "share_floor",
        share: 70,
        sourceText:
          "Ít nhất 70% đội ngũ cán bộ, công chức, viên chức, chiến sĩ cấp Thành phố",
      },
      {
        indicator: "TRN_STAFF_LOCAL",
        kind: "share_floor",
        share: 50,
        sourceText:
          "50% đội ngũ ở cấp quận, huyện, thành phố Thủ Đức, phường, xã, thị trấn, các cơ quan, tổ chức có liên quan đến lĩnh vực phòng, chống mại dâm được đào tạo, bồi dưỡng, tập huấn",
      },
      {
        indicator: "TRN_FRONTLINE_STAFF",
        kind: "share_floor",
        share: 70,
        sourceText:
          "Ít nhất 70% cán bộ, công chức, viên chức, chiến sĩ trực tiếp làm công tác phòng, chống tệ nạn xã hội tại các quận, huyện, thành phố Thủ Đức, phường, xã, thị trấn và Đội công tác xã hội tình nguyện được tập huấn",
      },
    ],
  },

  // ---------------------------------------------------------------- Quảng Ninh (22)
  {
    key: "quang-ninh-2021-2025",
    unitCode: "22",
    parentKey: "national-2021-2025",
    title:
      "Kế hoạch thực hiện Chương trình phòng, chống mại dâm giai đoạn 2021-2025 trên địa bàn tỉnh Quảng Ninh",
    // The stored text carries no number and no date of its own (see header).
    documentNumber: undefined,
    issuedOn: undefined,
    periodStart: "2021-01-01",
    periodEnd: "2025-12-31",
    source:
      "shared/seeds/004_c263d7a85ad8ac5b.txt (no number or date in the text; issued after Sở LĐTBXH letter 3599/LĐTBXH-PCTNXH of 19/10/2021)",
    targets: [
      {
        indicator: "AWR_COMMUNE_ACTIVITY",
        kind: "share_floor",
        share: 75,
        sourceText:
          "Ít nhất 75% số xã, phường, thị trấn tổ chức được một hình thức tuyên truyền về phòng ngừa mại dâm và được duy trì thường xuyên",
      },
      {
        indicator: "AWR_PRESS_FREQUENCY",
        kind: "frequency",
        frequencyInterval: "month",
        sourceText:
          "Thông tin về phòng, chống mại dâm được đăng tải trên cơ quan báo chí Trung ương và địa phương ít nhất một tháng một lần",
      },
      {
        indicator: "AWR_RISKY_WORKERS_INFORMED",
        kind: "share_floor",
        share: 75,
        sourceText:
          "Ít nhất 75% người lao động tại các cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm",
      },
      {
        indicator: "AWR_IZ_WORKERS_INFORMED",
        kind: "share_floor",
        share: 65,
        sourceText: "ít nhất 65% người lao động trong các khu công nghiệp",
      },
      {
        indicator: "AWR_STUDENTS_INFORMED",
        kind: "share_floor",
        share: 80,
        sourceText:
          "80% học sinh, sinh viên các trường trung học phổ thông, cơ sở giáo dục đại học và cơ sở giáo dục nghề nghiệp được tuyên truyền",
      },
      {
        indicator: "PRV_DISTRICT_OWN_PLAN",
        kind: "share_floor",
        share: 100,
        sourceText:
          "100% các huyện, thị xã, thành phố trên địa bàn tỉnh xây dựng kế hoạch và tổ chức thực hiện các hoạt động phòng, chống tệ nạn mại dâm",
      },
      {
        indicator: "PRV_DISTRICT_INTEGRATION",
        kind: "share_floor",
        share: 60,
        sourceText:
          "Ít nhất 60% các huyện, thị xã, thành phố trên địa bàn Tỉnh lồng ghép nhiệm vụ phòng, chống tệ nạn mại dâm với việc thực hiện các chương trình phát triển kinh tế - xã hội",
      },
      {
        indicator: "ENF_REPORTS_HANDLED",
        kind: "share_floor",
        share: 100,
        sourceText:
          "100% tố giác, tin báo, khiếu nại hành vi vi phạm pháp luật về phòng, chống mại dâm được tiếp nhận, xác minh, phân loại, xử lý kịp thời",
      },
      {
        // "4 ± 6%" read as 4-6% (OCR slip; see header)
        indicator: "ENF_CRIMES_HANDLED",
        kind: "change_range",
        changeLow: 4,
        changeHigh: 6,
        sourceText:
          "Hằng năm, tăng 4 ± 6% số tội phạm liên quan đến mại dâm được xử lý theo quy định của pháp luật",
      },
      {
        indicator: "ENF_BUSINESSES_INSPECTED_YEAR",
        kind: "share_floor",
        share: 20,
        sourceText:
          "tổ chức rà soát, kiểm tra, giám sát ít nhất 20% số cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm trên địa bàn Tỉnh",
      },
      {
        indicator: "ENF_BUSINESSES_INSPECTED_ONCE",
        kind: "cumulative_deadline",
        share: 100,
        deadline: "2025-12-31",
        sourceText: "đến năm 2025, 100% các cơ sở được kiểm tra ít nhất 1 lần",
      },
      {
        indicator: "HRM_PILOT_MODEL_DISTRICTS",
        kind: "share_floor",
        share: 40,
        sourceText:
          "Ít nhất 40% địa bàn các huyện, thị xã, thành phố xây dựng, triển khai, duy trì được mô hình thí điểm về phòng ngừa mại dâm, hỗ trợ can thiệp giảm hại",
      },
      {
        indicator: "HRM_SEX_WORKERS_SUPPORTED",
        kind: "share_floor",
        share: 65,
        sourceText:
          "Ít nhất 65% người bán dâm có nhu cầu và đủ điều kiện được tiếp cận và sử dụng các dịch vụ hỗ trợ xã hội, hòa nhập cộng đồng",
      },
      {
        indicator: "TRN_STAFF_PROVINCIAL",
        kind: "share_floor",
        share: 80,
        sourceText: "Ít nhất 80% đội ngũ cán bộ, công chức, viên chức, chiến sĩ cấp tỉnh",
      },
      {
        indicator: "TRN_STAFF_LOCAL",
        kind: "share_floor",
        share: 60,
        sourceText:
          "60% ở cấp huyện, cấp xã, các cơ quan, tổ chức có liên quan đến lĩnh vực phòng, chống mại dâm được đào tạo, bồi dưỡng, tập huấn",
      },
    ],
    // Section V.11 of the plan ("Giao chỉ tiêu, nhiệm vụ cho 8 / 5 huyện, thị xã, thành phố gồm: ...").
    // Names → codes (vn-admin-2024.csv, parent_code 22):
    //   Hạ Long   → 193 Thành phố Hạ Long
    //   Móng Cái  → 194 Thành phố Móng Cái
    //   Cẩm Phả   → 195 Thành phố Cẩm Phả
    //   Uông Bí   → 196 Thành phố Uông Bí
    //   Hải Hà    → 201 Huyện Hải Hà
    //   Vân Đồn   → 203 Huyện Vân Đồn
    //   Đông Triều → 205 Thị xã Đông Triều
    //   Quảng Yên → 206 Thị xã Quảng Yên
    // Quảng Ninh has 13 districts in the csv: 8/13 = 61.5% meets the ≥60% integration target;
    // 5/13 = 38.5% does NOT by itself meet the ≥40% pilot-model target.
    assignments: [
      {
        // "Hạ Long, Cẩm Phả, Móng Cái, Uông Bí, Đông Triều, Quảng Yên, Hải Hà, Vân Đồn"
        indicator: "PRV_DISTRICT_INTEGRATION",
        unitCodes: ["193", "195", "194", "196", "205", "206", "201", "203"],
      },
      {
        // "Hạ Long, Cẩm Phả, Uông Bí, Móng Cái, Quảng Yên"
        indicator: "HRM_PILOT_MODEL_DISTRICTS",
        unitCodes: ["193", "195", "196", "194", "206"],
      },
    ],
    // Section "Tổ chức thực hiện", point 1 (see header): half-year reports by 15/6 (H2: with the year's, 15/12), the year's by 15/12
    deadlines: [
      { periodType: "half_year", monthsAfterEnd: 0, day: 15, sourceText: "trước ngày 15/6 (đối với báo cáo 6 tháng)" },
      { periodType: "year", monthsAfterEnd: 0, day: 15, sourceText: "trước ngày 15/12 (đối với báo cáo tổng kết năm)" },
    ],
  },

  // ---------------------------------------------------------------- Lai Châu (12)
  {
    key: "lai-chau-2021-2025",
    unitCode: "12",
    parentKey: "national-2021-2025",
    title: "Kế hoạch về phòng, chống mại dâm giai đoạn 2021-2025 trên địa bàn tỉnh Lai Châu",
    documentNumber: "3742/KH-UBND",
    issuedOn: "2021-11-12",
    periodStart: "2021-01-01",
    periodEnd: "2025-12-31",
    source:
      "shared/seeds/000_7bfbdb3e671d5830.txt (cited by 434/KH-UBND: \"Kế hoạch số 3742/KH-UBND ngày 12/11/2021 của UBND tỉnh Lai Châu về phòng, chống mại dâm giai đoạn 2021-2025 trên địa bàn tỉnh\"; its own text is not in the seeds)",
    targets: [],
  },
  {
    key: "lai-chau-2025",
    unitCode: "12",
    parentKey: "lai-chau-2021-2025",
    title: "Kế hoạch phòng, chống mại dâm năm 2025 trên địa bàn tỉnh Lai Châu",
    documentNumber: "434/KH-UBND",
    issuedOn: "2025-01-24",
    periodStart: "2025-01-01",
    periodEnd: "2025-12-31",
    source: "shared/seeds/000_7bfbdb3e671d5830.txt",
    targets: [
      {
        indicator: "AWR_COMMUNE_ACTIVITY",
        kind: "share_floor",
        share: 70,
        sourceText:
          "70% xã, phường, thị trấn tổ chức được ít nhất là một hình thức tuyên truyền về phòng ngừa mại dâm và được duy trì thường xuyên",
      },
      {
        indicator: "AWR_PRESS_FREQUENCY",
        kind: "frequency",
        frequencyInterval: "quarter",
        sourceText:
          "Thông tin về công tác phòng, chống mại dâm trên địa bàn được đăng tải trên các cơ quan báo chí, truyền thông cấp tỉnh, cấp huyện ít nhất một quý một lần",
      },
      {
        indicator: "AWR_RISKY_WORKERS_INFORMED",
        kind: "share_floor",
        share: 70,
        sourceText:
          "cho 70% người lao động tại các cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm",
      },
      {
        indicator: "AWR_STUDENTS_INFORMED",
        kind: "share_floor",
        share: 100,
        sourceText: "100% học sinh, sinh viên tại các trường THPT, Trường Cao đẳng Lai Châu",
      },
      {
        indicator: "PRV_DISTRICT_OWN_PLAN",
        kind: "share_floor",
        share: 100,
        sourceText:
          "100% các huyện, thành phố xây dựng kế hoạch và tổ chức thực hiện các hoạt động phòng, chống mại dâm",
      },
      {
        indicator: "PRV_BUSINESS_COMMITMENT",
        kind: "share_floor",
        share: 100,
        sourceText:
          "100% các cơ sở kinh doanh dịch vụ có điều kiện được ký cam kết không để xảy ra tệ nạn mại dâm tại cơ sở",
      },
      {
        indicator: "PRV_DISTRICT_INTEGRATION",
        kind: "share_floor",
        share: 50,
        sourceText:
          "Ít nhất 50% các huyện, thành phố lồng ghép nhiệm vụ phòng, chống tệ nạn mại dâm với việc thực hiện các chương trình phát triển kinh tế - xã hội",
      },
      {
        indicator: "ENF_REPORTS_HANDLED",
        kind: "share_floor",
        share: 100,
        sourceText:
          "100% tố giác, tin báo, khiếu nại hành vi vi phạm pháp luật về phòng, chống mại dâm được tiếp nhận, xác minh, phân loại, xử lý kịp thời",
      },
      {
        indicator: "ENF_CRIMES_HANDLED",
        kind: "change_range",
        changeLow: 3,
        changeHigh: 5,
        sourceText:
          "Hằng năm, tăng từ 3% - 5% số tội phạm liên quan đến mại dâm được xử lý theo quy định của pháp luật",
      },
      {
        indicator: "ENF_BUSINESSES_INSPECTED_YEAR",
        kind: "share_floor",
        share: 90,
        sourceText:
          "tổ chức kiểm tra ít nhất 90% số cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm trên địa bàn tỉnh",
      },
      {
        indicator: "HRM_PILOT_MODEL_DISTRICTS",
        kind: "count_floor",
        count: 1,
        sourceText:
          "Phấn đấu ít nhất 01 địa bàn huyện, thành phố xây dựng, triển khai được mô hình thí điểm về phòng ngừa mại dâm, hỗ trợ can thiệp giảm hại",
      },
      {
        indicator: "HRM_SEX_WORKERS_SUPPORTED",
        kind: "share_floor",
        share: 55,
        sourceText:
          "Ít nhất 55% người bán dâm có nhu cầu và đủ điều kiện được tiếp cận và sử dụng các dịch vụ hỗ trợ xã hội",
      },
      {
        // "các cấp" (all levels): same 70 for provincial and district/commune staff
        indicator: "TRN_STAFF_PROVINCIAL",
        kind: "share_floor",
        share: 70,
        sourceText:
          "Đào tạo, bồi dưỡng, tập huấn nâng cao năng lực chuyên môn, nghiệp vụ cho 70% người làm công tác phòng, chống tệ nạn xã hội các cấp",
      },
      {
        indicator: "TRN_STAFF_LOCAL",
        kind: "share_floor",
        share: 70,
        sourceText:
          "Đào tạo, bồi dưỡng, tập huấn nâng cao năng lực chuyên môn, nghiệp vụ cho 70% người làm công tác phòng, chống tệ nạn xã hội các cấp",
      },
    ],
    // Section V, point 1 (see header): the year's reports by 15/12/2025
    deadlines: [
      {
        periodType: "year",
        monthsAfterEnd: 0,
        day: 15,
        sourceText: "Báo cáo kết quả thực hiện kế hoạch về Sở Lao động - Thương binh và Xã hội trước ngày 15/12/2025",
      },
    ],
  },

  // ---------------------------------------------------------------- Kiên Giang (91) / huyện An Biên (908)
  {
    key: "kien-giang-2016-2020",
    unitCode: "91",
    // no parent: no 2016-2020 national program is seeded
    title:
      "Kế hoạch thực hiện Chương trình phòng, chống mại dâm giai đoạn 2016-2020 trên địa bàn tỉnh Kiên Giang",
    documentNumber: "94/KH-UBND",
    issuedOn: "2016-08-15",
    periodStart: "2016-01-01",
    periodEnd: "2020-12-31",
    source:
      "shared/seeds/001_8cfeaf0fdcce9c2d.txt (cited by An Biên 54/KH-UBND: \"Kế hoạch số 94/KH-UBND ngày 15/8/2016 của UBND tỉnh về thực hiện Chương trình phòng, chống mại dâm giai đoạn 2016-2020 trên địa bàn tỉnh Kiên Giang\"; no number of it is quoted)",
    targets: [],
  },
  {
    key: "an-bien-2020",
    unitCode: "908", // Huyện An Biên, parent_code 91
    parentKey: "kien-giang-2016-2020",
    title: "Kế hoạch Thực hiện Chương trình phòng, chống mại dâm năm 2020",
    documentNumber: "54/KH-UBND",
    issuedOn: "2020-04-20",
    periodStart: "2020-01-01",
    periodEnd: "2020-12-31",
    source: "shared/seeds/001_8cfeaf0fdcce9c2d.txt",
    // no numeric targets of its own: it inherits its parent's
    targets: [],
  },

  // ---------------------------------------------------------------- Nghệ An (40)
  {
    key: "nghe-an-2016-2020",
    unitCode: "40",
    // no parent: no 2016-2020 national program is seeded
    title:
      "Chương trình phòng, chống mại dâm giai đoạn 2016-2020 của tỉnh Nghệ An (kế hoạch giai đoạn của tỉnh; số, ngày không có trong tài liệu)",
    documentNumber: undefined,
    issuedOn: undefined,
    periodStart: "2016-01-01",
    periodEnd: "2020-12-31",
    source:
      "shared/DOMAIN.md (the province's 2016-2020 program, which 98/KH-UBND implements; no text of it in shared/seeds)",
    targets: [],
  },
  {
    key: "nghe-an-2020",
    unitCode: "40",
    parentKey: "nghe-an-2016-2020",
    title:
      "Kế hoạch thực hiện Chương trình phòng, chống mại dâm trên địa bàn tỉnh năm 2020 (tên theo bản tin, không phải nguyên văn)",
    documentNumber: "98/KH-UBND",
    // date not given by the news report (published 13/03/2020)
    issuedOn: undefined,
    periodStart: "2020-01-01",
    periodEnd: "2020-12-31",
    source: "shared/seeds/003_55bcb1489f102a0b.txt (news report, Congannghean.vn, 13/03/2020)",
    // The report's "chỉ đạo 100% xã, phường, thị trấn triển khai công tác phòng, chống mại dâm" maps to
    // no catalog indicator (see header): no targets.
    targets: [],
  },
];
