import pino from "pino";
import { logger } from "../../src/common/logger";

export interface LogCapture {
  /** every line written since start, parsed (pino JSON: level, msg, requestId, …) */
  lines: Array<Record<string, any>>;
  stop(): void;
}

/**
 * Captures what the app's logger writes (the same serialized JSON lines stdout would get), at debug
 * level, until stop(). Under tests the logger is silent and writes to stdout; pino.symbols is pino's
 * documented way to reach its destination.
 */
export function captureLogs(): LogCapture {
  const target = logger as unknown as Record<symbol, unknown>;
  const destination = target[pino.symbols.streamSym];
  const level = logger.level;
  const lines: LogCapture["lines"] = [];
  target[pino.symbols.streamSym] = { write: (line: string) => void lines.push(JSON.parse(line)) };
  logger.level = "debug";
  return {
    lines,
    stop() {
      target[pino.symbols.streamSym] = destination;
      logger.level = level;
    },
  };
}
