const MARKER = Symbol.for('switchboard.core.retryable-error');

/**
 * The one notion of "worth another try" the retry helper reads: every outbound client's error
 * (model providers, embedders, Chatwoot) extends this, classified where the wire format is known.
 */
export class RetryableError extends Error {
  readonly [MARKER] = true;
  /** Network errors, timeouts, 429 and 5xx, as the client that threw it judged. */
  readonly retryable: boolean;
  /** The server's own Retry-After (or equivalent), when it sent one. */
  readonly retryAfterMs: number | null;
  /** The HTTP status the server answered; null when no answer came (timeout, refused, reset). */
  readonly status: number | null;

  constructor(
    message: string,
    options: {
      retryable: boolean;
      retryAfterMs?: number | null | undefined;
      status?: number | null | undefined;
      cause?: unknown;
    },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RetryableError';
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs ?? null;
    this.status = options.status ?? null;
  }

  /** Works across duplicated copies of this module (Symbol.for is global). */
  static isInstance(error: unknown): error is RetryableError {
    return typeof error === 'object' && error !== null && MARKER in error;
  }
}

/** 408, 409, 429 and 5xx are worth another try; other 4xx (bad key, bad request) never are. */
export function isRetryableStatus(status: number | null | undefined): boolean {
  if (status === null || status === undefined) return true;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}
