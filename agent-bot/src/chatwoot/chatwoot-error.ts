/** A Chatwoot API call that failed for good (after the client's own retries, when retryable). */
export class ChatwootError extends Error {
  override readonly name = 'ChatwootError';
  constructor(
    message: string,
    readonly status: number | null,
    /** Network errors, timeouts, 429 and 5xx: worth trying again later. */
    readonly retryable: boolean,
    readonly path: string,
  ) {
    super(message);
  }

  static isInstance(error: unknown): error is ChatwootError {
    return error instanceof Error && error.name === 'ChatwootError';
  }
}
