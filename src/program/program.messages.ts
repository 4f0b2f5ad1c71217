import type { MessagesOf } from "../i18n/i18n.catalog";

/** Texts of programs (src/program/); an indicator of a new program speaks the indicator namespace. */
export const programMessages: MessagesOf = {
  vi: {
    national: "Chương trình là của cấp quốc gia: chỉ ADMIN cấp quốc gia (VN) được tạo chương trình; đơn vị của bạn là {{unit}}.",
    badCode: "\"{{code}}\" không phải là mã chương trình: 2-40 ký tự gồm chữ in hoa, chữ số hoặc _.",
    codeFormat: "{{field}} phải gồm 2-40 ký tự là chữ in hoa, chữ số hoặc _",
    indicatorTwice: "Chỉ tiêu {{code}} được nêu hai lần.",
    codeTaken: "Mã chương trình {{code}} (hoặc một mã chỉ tiêu của chương trình) đã được dùng.",
  },
  en: {
    national: "Programs are national: only an admin of the nation (VN) creates one; your unit is {{unit}}.",
    badCode: "\"{{code}}\" is not a program code: 2-40 capital letters, digits or _.",
    codeFormat: "{{field}} must be 2-40 capital letters, digits or _",
    indicatorTwice: "Indicator {{code}} is given twice.",
    codeTaken: "The program code {{code}} (or one of its indicator codes) is already used.",
  },
};
