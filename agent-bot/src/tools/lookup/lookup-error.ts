/**
 * A lookup failure the model can explain ("the order system is not answering"), classified
 * for the tool_call event's outcome. Raw driver messages stay in the log, never in the result.
 */
export class LookupError extends Error {
  constructor(
    readonly kind: 'timeout' | 'unavailable' | 'rejected' | 'misconfigured',
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'LookupError';
  }

  /** For the tool_call event: the loop can read this to record `timeout` instead of `error`. */
  get outcome(): 'timeout' | 'error' {
    return this.kind === 'timeout' ? 'timeout' : 'error';
  }
}
