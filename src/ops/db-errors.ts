/**
 * Errors that mean "the database cannot be reached right now" rather than "this request is wrong":
 * refused or dropped connections, a server shutting down or starting up, and a pool with no free
 * connection within DB_CONNECTION_TIMEOUT_MS. Callers get SERVICE_UNAVAILABLE and may retry.
 */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND"]);
/** admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections */
const PG_UNAVAILABLE = new Set(["57P01", "57P02", "57P03", "53300"]);
const MESSAGES = [
  /timeout exceeded when trying to connect/i,
  /connection terminated/i,
  /connection (?:is )?(?:closed|ended)/i,
  /Client has encountered a connection error/i,
  /Cannot use a pool after calling end/i,
  // pg's query_timeout: the server did not answer at all (frozen host or network)
  /^Query read timeout$/,
  // a socket error that reached Apollo's context creation only as text ("Unexpected error value: …")
  /\bconnect (?:ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH)\b/,
];

/** TypeORM releases a request's connection when it dies; the request's next statement then fails so. */
const UNAVAILABLE_NAMES = new Set(["QueryRunnerAlreadyReleasedError", "ConnectionIsNotSetError"]);

function isUnavailableOne(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  if (UNAVAILABLE_NAMES.has((error as { name?: unknown }).name as string)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && (NETWORK_CODES.has(code) || PG_UNAVAILABLE.has(code) || code.startsWith("08"))) return true;
  const message = (error as { message?: unknown }).message;
  return typeof message === "string" && MESSAGES.some((re) => re.test(message));
}

/** True when `error` (or an error it wraps) says the database is unavailable. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (isUnavailableOne(current)) return true;
    if (current instanceof AggregateError && current.errors.some(isUnavailableOne)) return true;
    const next = (current as { originalError?: unknown; cause?: unknown; driverError?: unknown });
    current = next.driverError ?? next.originalError ?? next.cause;
  }
  return false;
}
