import { RetryableError } from '@switchboard/core';

/** A Chatwoot API call that failed for good (after the client's own retries, when retryable). */
export class ChatwootError extends RetryableError {
  override readonly name = 'ChatwootError';
  constructor(
    message: string,
    status: number | null,
    /** Network errors, timeouts, 429 and 5xx: worth trying again later. */
    retryable: boolean,
    readonly path: string,
    /** Chatwoot's Retry-After, when it sent one. */
    retryAfterMs: number | null = null,
    /**
     * The request may have reached Chatwoot and been acted on (a timeout, a dropped connection,
     * a 5xx): for a POST that creates something, only a read can tell whether it did.
     */
    readonly mayHaveArrived = false,
  ) {
    super(message, { retryable, retryAfterMs, status });
  }

  static override isInstance(error: unknown): error is ChatwootError {
    return error instanceof Error && error.name === 'ChatwootError';
  }
}
