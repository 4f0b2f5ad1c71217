import type { MessagesOf } from "../i18n/i18n.catalog";

/** Texts of authentication and roles (src/auth/). */
export const authMessages: MessagesOf = {
  vi: {
    "token.MISSING": "Cần đăng nhập: hãy gửi một mã truy cập (bearer token) hợp lệ.",
    "token.EXPIRED": "Mã truy cập đã hết hạn: hãy đăng nhập lại để nhận mã mới.",
    "token.INVALID": "Mã truy cập không hợp lệ: hãy đăng nhập lại để nhận mã mới.",
    keySetUnavailable: "Tạm thời không lấy được khóa ký của hệ thống định danh; hãy thử lại sau ít phút.",
    rolesNeeded: "Thao tác này cần một trong các vai trò {{needed}}; mã truy cập của bạn có {{held}}.",
  },
  en: {
    "token.MISSING": "Authentication required: send a valid bearer token.",
    "token.EXPIRED": "Your token has expired: log in again for a new one.",
    "token.INVALID": "Your token is not valid: log in again for a new one.",
    keySetUnavailable: "The identity provider's signing keys cannot be fetched right now; retry shortly.",
    rolesNeeded: "This needs one of the roles {{needed}}; your token has {{held}}.",
  },
};
