import type { MessagesOf } from "../i18n/i18n.catalog";

/**
 * What the database's start-up and its commands tell the person running them (npm start, npm run migration:*):
 * the settings to change, the embedded PostgreSQL's failures. Outside a request they speak APP_LANGUAGE.
 */
export const dbMessages: MessagesOf = {
  vi: {
    badAppUser: "APP_DB_USER \"{{user}}\" phải là một định danh SQL viết thường (chữ cái, chữ số, _).",
    appPasswordRequired: "Môi trường production bắt buộc có APP_DB_PASSWORD (từ 16 ký tự trở lên).",
    appPasswordShort: "APP_DB_PASSWORD ngắn hơn {{min, number}} ký tự; hãy dùng một mật khẩu ngẫu nhiên dài hơn cho production.",
    appRoleConnect: "Không kết nối được với vai trò ứng dụng \"{{user}}\" (APP_DB_USER / APP_DB_PASSWORD): {{reason}}",
    stalePid: "Đang xóa tệp postmaster.pid cũ do một lần chạy trước không dừng đúng cách để lại.",
    didNotStart:
      "PostgreSQL nhúng không khởi động được trên cổng {{port}} với dữ liệu trong {{dataDir}}. Cổng có đang bị dùng không? " +
      "Hãy đặt EMBEDDED_PG_PORT hoặc DATABASE_URL. ({{reason}})",
    didNotStartChild: "PostgreSQL nhúng không khởi động được trên cổng {{port}} với dữ liệu trong {{dataDir}}: {{reason}}",
    didNotStartChildPort:
      "PostgreSQL nhúng không khởi động được trên cổng {{port}} với dữ liệu trong {{dataDir}}. Cổng có đang bị dùng không? Hãy đặt EMBEDDED_PG_PORT hoặc DATABASE_URL.",
    keepsStopping: "PostgreSQL nhúng trong {{dataDir}} cứ dừng lại trong khi lệnh này khởi động; hãy thử lại.",
    noAnswer:
      "PostgreSQL nhúng trong {{dataDir}} đang chạy (pid {{pid}}, cổng {{port}}) nhưng không trả lời ({{reason}}). Nó được để nguyên. " +
      "Nếu `npm start` hay một lệnh khác đang dùng nó, hãy chờ lệnh đó hoặc dừng nó (Ctrl-C) rồi thử lại; nếu không có lệnh nào như vậy, " +
      "hãy dừng PostgreSQL này bằng `kill -INT {{pid}}`.",
    usingRunning: "Đang dùng PostgreSQL nhúng đã chạy sẵn trong {{dataDir}} (pid {{pid}}, cổng {{port}}); nó vẫn tiếp tục chạy.",
    leftRunningInUse: "PostgreSQL nhúng vẫn để chạy: một lệnh khác còn đang dùng nó (dữ liệu trong {{dataDir}}).",
    leftRunning: "PostgreSQL nhúng vẫn để chạy ({{reason}}).",
    noPassword: "không mật khẩu nào của cụm này được chấp nhận",
    migrationsApplied: "Đã áp dụng: {{names}}",
    noPendingMigrations: "Không có migration nào đang chờ.",
    migrationReverted: "Đã hoàn tác migration gần nhất.",
    unknownMigrationCommand: "Lệnh \"{{command}}\" không tồn tại: hãy dùng run hoặc revert.",
  },
  en: {
    badAppUser: "APP_DB_USER \"{{user}}\" must be a lower-case SQL identifier (letters, digits, _).",
    appPasswordRequired: "APP_DB_PASSWORD is required in production (16 characters or more).",
    appPasswordShort: "APP_DB_PASSWORD is shorter than {{min, number}} characters; use a longer random password in production.",
    appRoleConnect: "Could not connect as the application role \"{{user}}\" (APP_DB_USER / APP_DB_PASSWORD): {{reason}}",
    stalePid: "Removing a stale postmaster.pid left by an earlier run that did not stop cleanly.",
    didNotStart:
      "Embedded PostgreSQL did not start on port {{port}} with data in {{dataDir}}. Is the port in use? " +
      "Set EMBEDDED_PG_PORT or DATABASE_URL. ({{reason}})",
    didNotStartChild: "Embedded PostgreSQL did not start on port {{port}} with data in {{dataDir}}: {{reason}}",
    didNotStartChildPort:
      "Embedded PostgreSQL did not start on port {{port}} with data in {{dataDir}}. Is the port in use? Set EMBEDDED_PG_PORT or DATABASE_URL.",
    keepsStopping: "Embedded PostgreSQL in {{dataDir}} keeps stopping while this command starts; retry.",
    noAnswer:
      "The embedded PostgreSQL in {{dataDir}} is running (pid {{pid}}, port {{port}}) but does not answer ({{reason}}). It was left alone. " +
      "If `npm start` or another command uses it, wait for that command or end it (Ctrl-C) and retry; if no such command runs, " +
      "stop this PostgreSQL with `kill -INT {{pid}}`.",
    usingRunning: "Using the embedded PostgreSQL already running in {{dataDir}} (pid {{pid}}, port {{port}}); it stays running.",
    leftRunningInUse: "Embedded PostgreSQL left running: another command still uses it (data in {{dataDir}}).",
    leftRunning: "Embedded PostgreSQL left running ({{reason}}).",
    noPassword: "no password of this cluster was accepted",
    migrationsApplied: "Applied: {{names}}",
    noPendingMigrations: "No pending migrations.",
    migrationReverted: "Reverted the last migration.",
    unknownMigrationCommand: "Unknown command \"{{command}}\": use run or revert.",
  },
};
