const MARKER = Symbol.for('switchboard.llm.provider-error');

export type ProviderErrorKind =
  'rate_limited' | 'server' | 'timeout' | 'network' | 'invalid_response' | 'auth' | 'bad_request' | 'aborted';

/**
 * The one error a LanguageModel throws. Adapters classify; the caller (retry policy, fallback
 * chain) decides what to do, so the policy lives in one place. Never carries the API key or the
 * request body (both may hold secrets or personal data).
 */
export class ProviderCallError extends Error {
  readonly [MARKER] = true;
  readonly provider: string;
  readonly kind: ProviderErrorKind;
  readonly statusCode: number | null;
  /** From `retry-after` / `retry-after-ms` / Gemini's RetryInfo, when the provider sent one. */
  readonly retryAfterMs: number | null;
  readonly isRetryable: boolean;

  constructor(options: {
    provider: string;
    kind: ProviderErrorKind;
    message: string;
    statusCode?: number | null;
    retryAfterMs?: number | null;
    cause?: unknown;
  }) {
    super(options.message, { cause: options.cause });
    this.name = 'ProviderCallError';
    this.provider = options.provider;
    this.kind = options.kind;
    this.statusCode = options.statusCode ?? null;
    this.retryAfterMs = options.retryAfterMs ?? null;
    // 408/409/429 and 5xx are worth another try (as in the AI SDK); a malformed body usually
    // comes from a proxy or an overloaded server, so it is retried too. Auth/4xx never are.
    this.isRetryable =
      options.kind === 'rate_limited' ||
      options.kind === 'server' ||
      options.kind === 'timeout' ||
      options.kind === 'network' ||
      options.kind === 'invalid_response';
  }

  /** Works across duplicated copies of this module (Symbol.for is global). */
  static isInstance(error: unknown): error is ProviderCallError {
    return typeof error === 'object' && error !== null && MARKER in error;
  }
}

/** Classifies an HTTP status the same way for every provider. */
export function kindForStatus(status: number): ProviderErrorKind {
  if (status === 429) return 'rate_limited';
  if (status === 408) return 'timeout';
  if (status === 401 || status === 403) return 'auth';
  if (status === 409 || status >= 500) return 'server';
  return 'bad_request';
}

/**
 * Parses `retry-after-ms` (OpenAI), `retry-after` in seconds or as an HTTP date. Returns null
 * when absent or unusable; the caller then uses its own backoff.
 */
export function parseRetryAfter(headers: Headers | undefined | null, now: Date = new Date()): number | null {
  if (!headers) return null;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now.getTime());
}

/** Message for logs and events: no bodies, no keys, bounded length. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/(sk|key|AIza)[-_A-Za-z0-9]{8,}/g, '[redacted]').slice(0, 300);
}
