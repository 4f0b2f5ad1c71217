import type { MessagesOf } from "../i18n/i18n.catalog";

/** Texts of roll-ups, the national comparison and restating (src/rollup/). */
export const rollupMessages: MessagesOf = {
  vi: {
    ministryOnly: "Bảng so sánh toàn quốc dành cho Bộ: đơn vị trong mã truy cập của bạn phải là cấp quốc gia.",
    unitNotInPeriod:
      "{{name}} ({{code}}), đơn vị mang mã này vào ngày {{asOf}}, chưa tồn tại trong kỳ {{period}} và không có đơn vị tiền thân nào tồn tại khi đó: " +
      "hãy hỏi một kỳ từ ngày {{validFrom}}, hoặc với asOf là ngày của đơn vị đã báo cáo kỳ đó.",
    asOfBeforeReform:
      "asOf {{asOf}} sớm hơn kỳ {{period}}, và cây đơn vị của {{unit}} đã thay đổi vào ngày {{changedOn}}, ở giữa hai thời điểm đó: " +
      "kỳ {{period}} được báo cáo trên một cây muộn hơn cây của ngày {{asOf}}, và số liệu chỉ được quy đổi về sau. " +
      "Hãy hỏi với asOf từ ngày {{changedOn}} trở đi (hoặc bỏ trống: ngày cuối của kỳ).",
  },
  en: {
    ministryOnly: "The national comparison is for the ministry: your token's unit must be the nation.",
    unitNotInPeriod:
      "{{name}} ({{code}}), the unit the code names on {{asOf}}, did not exist in {{period}} and has no predecessors that did: " +
      "ask for a period from {{validFrom}}, or with the asOf of the unit that reported it.",
    asOfBeforeReform:
      "asOf {{asOf}} is earlier than {{period}}, and the tree of {{unit}} changed on {{changedOn}}, in between: " +
      "{{period}} was reported on a later tree than that of {{asOf}}, and figures are restated forward only. " +
      "Ask with asOf on or after {{changedOn}} (or leave it out: the period's last day).",
  },
};
