/** Anything with a case-insensitive `get`, as fetch's Headers: the SDKs hand over one of these. */
export interface HeaderLookup {
  get(name: string): string | null;
}

/**
 * How long the server asked us to wait, in ms: `retry-after-ms` (OpenAI's, exact), else
 * `retry-after` as seconds or as an HTTP date (RFC 9110 §10.2.3). Null when absent or unusable,
 * so the caller falls back to its own backoff. Never negative: a date in the past means now.
 */
export function parseRetryAfter(
  headers: HeaderLookup | null | undefined,
  now: Date | number = Date.now(),
): number | null {
  if (!headers) return null;
  const ms = headers.get('retry-after-ms')?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Number(ms);
  const value = headers.get('retry-after')?.trim();
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  // An HTTP date names a weekday and a month; a bare "-5" would otherwise parse as a year.
  if (!/[a-z]/i.test(value)) return null;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - (typeof now === 'number' ? now : now.getTime()));
}
