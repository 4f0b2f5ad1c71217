import type { MessagesOf } from "../i18n/i18n.catalog";

/** Texts of the request limits (src/security/). Numbers stay plain: they are the limits' own values. */
export const securityMessages: MessagesOf = {
  vi: {
    depth: "Truy vấn lồng sâu {{actual}} cấp trường; giới hạn là {{max}}.",
    aliases: "Truy vấn dùng {{actual}} bí danh (alias); giới hạn là {{max}}.",
    directives: "Truy vấn dùng {{actual}} chỉ thị (directive); giới hạn là {{max}}.",
    cost: "Chi phí ước tính của truy vấn vượt quá giới hạn {{max}}. Hãy yêu cầu trang nhỏ hơn (first) hoặc ít danh sách lồng nhau hơn.",
    mutations:
      "Yêu cầu gồm {{actual}} thao tác ghi (mutation) ({{names}}); giới hạn là {{max}} cho mỗi yêu cầu. Hãy gửi mỗi thao tác ghi trong một yêu cầu riêng.",
    directiveUnknown: "Chỉ thị @{{name}} không tồn tại{{times}}; hãy bỏ nó đi.",
    directiveRepeated: "Chỉ thị @{{name}} bị lặp lại tại cùng một vị trí{{times}}; chỉ ghi một lần ở đó.",
    directiveTimes: " (dùng {{count}} lần)",
    introspectionDisabled: "Việc tra cứu toàn bộ lược đồ (introspection) đã bị tắt.",
    nulCharacter: "{{fieldName}}: {{field}} chứa ký tự NUL (U+0000), là ký tự văn bản không thể lưu; hãy xóa nó.",
    stringTooLong: "{{fieldName}}: {{field}} dài {{length}} ký tự; giới hạn là {{max}}.",
    listItems:
      "Các tham số của yêu cầu chứa tổng cộng hơn {{max}} phần tử danh sách (dòng báo cáo, mã…); hãy gửi tối đa {{max}} phần tử mỗi yêu cầu, ví dụ chia một lô báo cáo lớn thành nhiều lô.",
  },
  en: {
    depth: "The query is nested {{actual}} fields deep; the limit is {{max}}.",
    aliases: "The query uses {{actual}} aliases; the limit is {{max}}.",
    directives: "The query uses {{actual}} directives; the limit is {{max}}.",
    cost: "The query's estimated cost is over {{max}}, the limit. Ask for smaller pages (first) or fewer nested lists.",
    mutations: "The request asks for {{actual}} mutations ({{names}}); the limit is {{max}} per request. Send each mutation in a request of its own.",
    directiveUnknown: "Unknown directive @{{name}}{{times}}; remove it.",
    directiveRepeated: "The directive @{{name}} is repeated at one place{{times}}; give it once there.",
    directiveTimes: " (used {{count}} times)",
    introspectionDisabled: "Introspection of the schema is disabled.",
    nulCharacter: "{{fieldName}}: {{field}} contains a NUL character (U+0000), which text cannot hold; remove it.",
    stringTooLong: "{{fieldName}}: {{field}} is {{length}} characters long; the limit is {{max}}.",
    listItems:
      "The request's arguments carry more than {{max}} list items (report rows, codes…) in all; send at most {{max}} per request, e.g. a large report batch split in several.",
  },
};
