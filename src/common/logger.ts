import pino from "pino";
import { logFields } from "../ops/request-scope";

/**
 * Structured JSON logs; quiet under tests unless LOG_LEVEL asks otherwise. Written to stdout through an
 * asynchronous destination: the access-log line of every request must not cost a blocking write (pino
 * flushes what is pending when the process exits).
 */
export const logger = pino(
  {
    level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
    base: { service: "vn-program-plans" },
    // the current request's id on every line written while it runs (src/ops/request-scope.ts)
    mixin: logFields,
  },
  pino.destination({ dest: 1, sync: false }),
);
