import { isRetryableStatus, RetryableError } from '@switchboard/core';

const MARKER = Symbol.for('switchboard.llm.provider-error');

export type ProviderErrorKind =
  'rate_limited' | 'server' | 'timeout' | 'network' | 'invalid_response' | 'auth' | 'bad_request' | 'aborted';

/**
 * The one error a LanguageModel throws. Adapters classify; the caller (retry policy, fallback
 * chain) decides what to do, so the policy lives in one place. Never carries the API key or the
 * request body (both may hold secrets or personal data).
 */
export class ProviderCallError extends RetryableError {
  readonly [MARKER] = true;
  readonly provider: string;
  readonly kind: ProviderErrorKind;

  constructor(options: {
    provider: string;
    kind: ProviderErrorKind;
    message: string;
    status?: number | null;
    retryAfterMs?: number | null;
    cause?: unknown;
  }) {
    // 408/409/429 and 5xx are worth another try (as in the AI SDK); a malformed body usually
    // comes from a proxy or an overloaded server, so it is retried too. Auth/4xx never are.
    const retryable =
      options.kind === 'rate_limited' ||
      options.kind === 'server' ||
      options.kind === 'timeout' ||
      options.kind === 'network' ||
      options.kind === 'invalid_response';
    // retryAfterMs: from `retry-after` / `retry-after-ms` / Gemini's RetryInfo, when sent.
    super(options.message, {
      retryable,
      retryAfterMs: options.retryAfterMs,
      status: options.status,
      cause: options.cause,
    });
    this.name = 'ProviderCallError';
    this.provider = options.provider;
    this.kind = options.kind;
  }

  /** Works across duplicated copies of this module (Symbol.for is global). */
  static override isInstance(error: unknown): error is ProviderCallError {
    return typeof error === 'object' && error !== null && MARKER in error;
  }
}

/** Classifies an HTTP status the same way for every provider. */
export function kindForStatus(status: number): ProviderErrorKind {
  if (status === 429) return 'rate_limited';
  if (status === 408) return 'timeout';
  if (status === 401 || status === 403) return 'auth';
  // The retryable rest (409, 5xx), as every outbound client judges them.
  if (isRetryableStatus(status)) return 'server';
  return 'bad_request';
}

/** Message for logs and events: no bodies, no keys, bounded length. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/(sk|key|AIza)[-_A-Za-z0-9]{8,}/g, '[redacted]').slice(0, 300);
}
