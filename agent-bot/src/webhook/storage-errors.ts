import pg from 'pg';

/**
 * Whether a failed store means the storage is down (answer 503: nothing this delivery could
 * change) rather than that this delivery cannot be stored (record it as rejected, answer 2xx).
 * SQLSTATE classes: 08 connection, 40 rollback (serialization, deadlock), 53 insufficient
 * resources, 57 operator intervention (shutdown, cancelled by timeout), 58 system, XX internal.
 * Data classes (22 data, 23 integrity, 42 statement, 54 limits) are about this delivery.
 * Errors without a SQLSTATE come from the connection (refused, terminated, pool timeout).
 */
const UNAVAILABLE_CLASSES = new Set(['08', '40', '53', '57', '58', 'XX']);
const CONNECTION_MESSAGE =
  /connection|terminated|timeout|ECONN|EPIPE|ENOTFOUND|EAI_AGAIN|socket|pool after calling end|not queryable/i;

export function storageUnavailable(error: unknown): boolean {
  if (error instanceof pg.DatabaseError) {
    return UNAVAILABLE_CLASSES.has(String(error.code ?? '').slice(0, 2));
  }
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return true;
  return CONNECTION_MESSAGE.test(error.message);
}

/** What a log line may say of a store failure: the SQLSTATE or error name, never its message (values). */
export function storeFailureCode(error: unknown): string {
  if (error instanceof pg.DatabaseError && error.code) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'unknown';
}

/**
 * A store failure's details for an error log: the code, and for a bug (not a database error,
 * whose message quotes the values it refused) the stack.
 */
export function storeFailureDetail(error: unknown): { code: string; stack?: string } {
  const code = storeFailureCode(error);
  return error instanceof Error && !(error instanceof pg.DatabaseError) && error.stack
    ? { code, stack: error.stack }
    : { code };
}
