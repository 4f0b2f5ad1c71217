import type { PlanSeed } from "./seed.types";

/**
 * The plans of 2026 (shared/DOMAIN-2026.md §2-3), loaded after the 2021-2025 plans of plans.data.ts. Read
 * seeds/SOURCES.md ("2026") for what comes from which source and what is an interpretation.
 *
 * - national-2026-2035: the ministry (Bộ Y tế, Cục Bảo trợ xã hội) was still drafting the 2026-2035 program in
 *   January 2026 (moh.gov.vn, 28/01/2026). A DRAFT of the same program, with no number, date or target: not in
 *   force, nothing inherits from it. Whoever needs a national parent gives it numbers and activates it.
 * - ha-noi-2026 (07/KH-UBND, 07/01/2026): ACTIVE with no parent (no approved national plan covers 2026), citing the
 *   Pháp lệnh and Hà Nội's own review of 2021-2025. Every number of DOMAIN-2026.md §3's table for 07 is a target.
 * - ha-noi-2026-inspection (06/KH-UBND): the inspection plan, a CHILD of 07/KH-UBND (same unit and program, so
 *   the two may be active together only if one implements the other; it does: it carries out 07's enforcement
 *   part). A child cannot take exactly its parent's period (plan_unit_period_key is one plan per unit, program and
 *   period, parent or not), and a unit's effective targets come from its shortest active plan covering the period
 *   asked (two of the same span would tie): 06 runs from 07/01/2026, the latest day it can have been signed (its
 *   number precedes 07/KH-UBND's of that day), to 31/12/2026. So 06's targets and quotas are in force for the
 *   periods inside that span (2026-Q2 to Q4, 2026-H2); the whole year 2026, its first quarter and half are judged
 *   against 07/KH-UBND alone. SOURCES.md says what would lift this.
 *
 * sourceText: a short condensed Vietnamese wording of each target after the press reports named (hanoi.gov.vn,
 * dantri.com.vn, kenh14.vn for 07; 24h.com.vn, sggp.org.vn for 06), not the documents' own text (not in the repo).
 */
export const PLANS_2026: PlanSeed[] = [
  // ---------------------------------------------------------------- nation: the 2026-2035 program, a draft
  {
    key: "national-2026-2035",
    unitCode: "VN",
    title: "Chương trình phòng, chống mại dâm giai đoạn 2026 - 2035 (dự thảo)",
    // not approved yet: no number, no date
    periodStart: "2026-01-01",
    periodEnd: "2035-12-31",
    status: "draft",
    legalBasis:
      "Pháp lệnh phòng, chống mại dâm 10/2003/PL-UBTVQH11; dự thảo Chương trình phòng, chống mại dâm giai đoạn 2026-2035 do Bộ Y tế (Cục Bảo trợ xã hội) hoàn thiện (tháng 01/2026)",
    source: "shared/DOMAIN-2026.md §2 (moh.gov.vn, 28/01/2026: the 2026-2035 program still a draft)",
    targets: [],
  },

  // ---------------------------------------------------------------- Hà Nội (01, two-tier tree): 07/KH-UBND
  {
    key: "ha-noi-2026",
    unitCode: "01",
    title: "Kế hoạch phòng, chống mại dâm trên địa bàn thành phố Hà Nội năm 2026",
    documentNumber: "07/KH-UBND",
    issuedOn: "2026-01-07",
    periodStart: "2026-01-01",
    periodEnd: "2026-12-31",
    status: "active",
    legalBasis: "Pháp lệnh phòng, chống mại dâm 10/2003/PL-UBTVQH11; kết quả thực hiện Chương trình giai đoạn 2021-2025",
    source: "shared/DOMAIN-2026.md §3 (hanoi.gov.vn 07/01/2026; dantri.com.vn 07/01/2026; kenh14.vn 08/01/2026)",
    targets: [
      // awareness
      {
        indicator: "AWR_COMMUNE_ACTIVITY",
        kind: "share_floor",
        share: 100,
        sourceText: "100% xã, phường tổ chức được ít nhất một hình thức tuyên truyền về phòng ngừa mại dâm hiệu quả, duy trì thường xuyên",
      },
      {
        // "thường xuyên" names no interval: read as at least once a month, the national 2021-2025 floor (N-2)
        indicator: "AWR_PRESS_FREQUENCY",
        kind: "frequency",
        frequencyInterval: "month",
        sourceText: "thông tin về phòng, chống mại dâm được đăng tải thường xuyên trên báo chí, truyền thông và mạng xã hội phù hợp",
      },
      {
        indicator: "AWR_TV_REPORTS",
        kind: "quantity_floor",
        quantity: 3,
        sourceText: "03 phóng sự về phòng, chống mại dâm phát sóng trên kênh truyền hình",
      },
      {
        indicator: "AWR_RESIDENTS_INFORMED",
        kind: "quantity_floor",
        quantity: 5300,
        sourceText: "tuyên truyền, phổ biến chính sách, pháp luật cho ít nhất 5.300 người dân tại các xã, phường",
      },
      {
        // the numerator of the ratio: people informed
        indicator: "AWR_RISKY_WORKERS_INFORMED",
        kind: "quantity_floor",
        quantity: 3500,
        sourceText: "3.500 người làm việc tại các cơ sở kinh doanh dịch vụ dễ bị lợi dụng để hoạt động mại dâm",
      },
      {
        indicator: "AWR_IZ_WORKERS_INFORMED",
        kind: "quantity_floor",
        quantity: 60000,
        sourceText: "ít nhất 60.000 người lao động đang làm việc trong các khu công nghiệp",
      },
      {
        indicator: "AWR_STUDENTS_INFORMED",
        kind: "quantity_floor",
        quantity: 100000,
        sourceText: "100.000 học sinh, sinh viên các trường trung học phổ thông, cơ sở giáo dục đại học và giáo dục nghề nghiệp",
      },
      // training
      {
        indicator: "TRN_STAFF_TRAINED",
        kind: "quantity_floor",
        quantity: 6000,
        sourceText:
          "ít nhất 6.000 cán bộ, công chức, viên chức, người lao động, chiến sĩ lực lượng vũ trang cấp thành phố và cấp xã, tình nguyện viên được bồi dưỡng, tập huấn",
      },
      // prevention (the district indicators are measured on communes on the two-tier tree)
      {
        indicator: "PRV_COMMUNE_MODEL",
        kind: "share_floor",
        share: 100,
        sourceText: "100% xã, phường chỉ đạo, triển khai công tác phòng, chống mại dâm theo nội dung phù hợp của mô hình phòng, chống mại dâm cấp xã",
      },
      {
        indicator: "PRV_DISTRICT_INTEGRATION",
        kind: "share_floor",
        share: 100,
        sourceText: "100% xã, phường lồng ghép nhiệm vụ phòng, chống mại dâm với các chương trình phát triển kinh tế - xã hội",
      },
      // enforcement
      {
        indicator: "ENF_REPORTS_HANDLED",
        kind: "share_floor",
        share: 100,
        sourceText: "100% tố giác, tin báo, khiếu nại về phòng, chống mại dâm được tiếp nhận, xác minh, phân loại, xử lý kịp thời",
      },
      {
        // detected and prosecuted ("phát hiện, khám phá, xử lý hình sự"): the crimes handled, as a quantity of cases
        indicator: "ENF_CRIMES_HANDLED",
        kind: "quantity_floor",
        quantity: 100,
        sourceText: "phát hiện, khám phá, xử lý hình sự 100 vụ án liên quan đến hoạt động mại dâm",
      },
      {
        indicator: "ENF_CASES_TRIED",
        kind: "quantity_floor",
        quantity: 100,
        sourceText: "xét xử 100 vụ án liên quan đến hoạt động mại dâm",
      },
    ],
  },

  // ---------------------------------------------------------------- Hà Nội: 06/KH-UBND, the inspection plan
  {
    key: "ha-noi-2026-inspection",
    unitCode: "01",
    parentKey: "ha-noi-2026",
    title:
      "Kế hoạch kiểm tra, hướng dẫn việc thực hiện pháp luật về phòng, chống mại dâm và phòng, chống tệ nạn xã hội trên địa bàn thành phố năm 2026",
    documentNumber: "06/KH-UBND",
    // its date is in none of the sources (reported as just signed on 08/01/2026; numbered before 07/KH-UBND)
    issuedOn: undefined,
    periodStart: "2026-01-07",
    periodEnd: "2026-12-31",
    status: "active",
    source: "shared/DOMAIN-2026.md §3 (24h.com.vn and sggp.org.vn, 08/01/2026)",
    targets: [
      {
        indicator: "ENF_BUSINESSES_INSPECTED_YEAR",
        kind: "share_floor",
        share: 60,
        sourceText: "từ 60% trở lên số cơ sở kinh doanh dịch vụ dễ bị lợi dụng để hoạt động mại dâm được kiểm tra ít nhất một lần/năm",
      },
      {
        indicator: "ENF_BUSINESSES_INSPECTED_LOCAL_TEAMS",
        kind: "quantity_floor",
        quantity: 2937,
        sourceText: "Đội Kiểm tra liên ngành 178 cấp xã, phường kiểm tra ít nhất 2.937 cơ sở kinh doanh dịch vụ dễ bị lợi dụng để hoạt động mại dâm",
      },
      {
        indicator: "ENF_CITY_SURPRISE_INSPECTIONS",
        kind: "quantity_floor",
        quantity: 40,
        sourceText: "Đội Kiểm tra liên ngành 178 thành phố kiểm tra đột xuất tối thiểu 40 lượt cơ sở kinh doanh dịch vụ",
      },
      {
        indicator: "ENF_LOCAL_TEAMS_GUIDED",
        kind: "quantity_floor",
        quantity: 15,
        sourceText: "kiểm tra, hướng dẫn ít nhất 15 Đội Kiểm tra liên ngành 178 cấp xã",
      },
    ],
    // "Căn cứ chỉ tiêu được giao": the city gives each commune its number. The sources give no commune's number;
    // these five central wards and their quotas are ILLUSTRATIVE, and deliberately short of 2,937 (400 of 2,937:
    // short by 2,537, 121 of the 126 communes with none), so that the seed shows a shortfall.
    quotas: [
      {
        indicator: "ENF_BUSINESSES_INSPECTED_LOCAL_TEAMS",
        quotas: [
          { unitCode: "00070", quantity: 90 }, // Phường Hoàn Kiếm
          { unitCode: "00082", quantity: 60 }, // Phường Cửa Nam
          { unitCode: "00103", quantity: 80 }, // Phường Tây Hồ
          { unitCode: "00166", quantity: 70 }, // Phường Cầu Giấy
          { unitCode: "00235", quantity: 100 }, // Phường Đống Đa
        ],
      },
    ],
  },
];
