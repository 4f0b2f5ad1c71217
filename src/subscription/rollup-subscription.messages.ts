import type { MessagesOf } from "../i18n/i18n.catalog";

/** Texts of live roll-up subscriptions (src/subscription/). */
export const subscriptionMessages: MessagesOf = {
  vi: {
    tooMany:
      "Mã truy cập này đã mở {{max, number}} đăng ký theo dõi tổng hợp trực tiếp, là mức tối đa (MAX_SUBSCRIPTIONS_PER_TOKEN); hãy đóng bớt một đăng ký trước khi mở đăng ký mới.",
    subscriptionsOnly:
      "Kết nối WebSocket chỉ phục vụ đăng ký theo dõi (subscription); hãy gửi truy vấn và thao tác thay đổi dữ liệu bằng POST /graphql.",
    webSocketOnly: "Đăng ký theo dõi chỉ được phục vụ qua WebSocket tại /graphql (giao thức graphql-transport-ws).",
  },
  en: {
    tooMany:
      "This token already holds {{max, number}} live roll-up subscriptions, the most allowed (MAX_SUBSCRIPTIONS_PER_TOKEN); close one before opening another.",
    subscriptionsOnly: "The WebSocket connection serves subscriptions only; send queries and mutations with POST /graphql.",
    webSocketOnly: "Subscriptions are served over WebSocket only, at /graphql (the graphql-transport-ws protocol).",
  },
};
