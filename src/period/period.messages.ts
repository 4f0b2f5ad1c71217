import type { MessagesOf } from "../i18n/i18n.catalog";

/** Names of reporting periods as officials write them, and the period parser's texts (src/common/period.ts). */
export const periodMessages: MessagesOf = {
  vi: {
    "label.year": "Năm {{year}}",
    "label.H1": "6 tháng đầu năm {{year}}",
    "label.H2": "6 tháng cuối năm {{year}}",
    "label.quarter": "Quý {{quarter}}/{{year}}",
    notAPeriod: "\"{{code}}\" không phải là một kỳ báo cáo: hãy dùng dạng 2025, 2025-H1 hoặc 2025-Q3.",
    yearOutOfRange: "Năm {{year}} nằm ngoài khoảng cho phép (2000-2100).",
    pattern: "{{field}} phải có dạng 2025, 2025-H1 hoặc 2025-Q3",
  },
  en: {
    "label.year": "{{year}}",
    "label.H1": "H1 {{year}}",
    "label.H2": "H2 {{year}}",
    "label.quarter": "Q{{quarter}} {{year}}",
    notAPeriod: "\"{{code}}\" is not a period: use 2025, 2025-H1 or 2025-Q3.",
    yearOutOfRange: "Year {{year}} is out of range (2000-2100).",
    pattern: "{{field}} must look like 2025, 2025-H1 or 2025-Q3",
  },
};
