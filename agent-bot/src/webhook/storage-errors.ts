/**
 * Whether a failed store means the storage is down (answer 500, which Chatwoot retries: nothing this delivery could
 * change) rather than that this delivery cannot be stored (record it as rejected, answer 2xx).
 * SQLSTATE classes: 08 connection, 40 rollback (serialization, deadlock), 53 insufficient
 * resources, 57 operator intervention (shutdown, cancelled by timeout), 58 system, XX internal.
 * Data classes (22 data, 23 integrity, 42 statement, 54 limits) are about this delivery.
 * Errors without a SQLSTATE come from the connection (refused, reset, terminated, pool timeout).
 * Read by duck typing: the pool may come from another copy of pg, or from PGlite's socket.
 */
const UNAVAILABLE_CLASSES = new Set(['08', '40', '53', '57', '58', 'XX']);
const CONNECTION_MESSAGE =
  /connection|terminated|timeout|ECONN|EPIPE|ENOTFOUND|EAI_AGAIN|socket|pool after calling end|not queryable/i;

const codeOf = (error: unknown): string | null => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
};
/** A Node system error code (ECONNREFUSED, EPIPE): no SQLSTATE class starts with E. */
const isSystemCode = (code: string): boolean => /^E[A-Z]+$/.test(code);
const sqlStateOf = (error: unknown): string | null => {
  const code = codeOf(error);
  return code !== null && /^[0-9A-Z]{5}$/.test(code) && !isSystemCode(code) ? code : null;
};

export function storageUnavailable(error: unknown): boolean {
  const sqlState = sqlStateOf(error);
  if (sqlState !== null) return UNAVAILABLE_CLASSES.has(sqlState.slice(0, 2));
  const code = codeOf(error);
  if (code !== null && isSystemCode(code)) return true;
  return error instanceof Error && CONNECTION_MESSAGE.test(error.message);
}

/** What a log line may say of a store failure: the SQLSTATE or error code/name, never its message. */
export function storeFailureCode(error: unknown): string {
  return codeOf(error) ?? (error instanceof Error ? error.name : 'unknown');
}

/**
 * A store failure's details for an error log: the code, and for a bug (not a database error,
 * whose message quotes the values it refused) the stack.
 */
export function storeFailureDetail(error: unknown): { code: string; stack?: string } {
  const code = storeFailureCode(error);
  return error instanceof Error && sqlStateOf(error) === null && error.stack
    ? { code, stack: error.stack }
    : { code };
}
