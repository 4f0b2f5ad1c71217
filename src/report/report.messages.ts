import type { MessagesOf } from "../i18n/i18n.catalog";

/** Texts of reports: row problems of a batch or an uploaded file, the reporting cycle, history, the import tool. */
export const reportMessages: MessagesOf = {
  vi: {
  },
  en: {
  },
};
