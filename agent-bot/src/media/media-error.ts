/**
 * Why a piece of media could not be used. Every failure maps to one of these, so the outcome is
 * recorded (analytics, private note) and the customer gets a sensible answer instead of silence.
 */
export type MediaFailureReason =
  | 'blocked_host' // a redirect to a host that is neither Chatwoot nor its storage
  | 'blocked_address' // a host that resolves to a loopback/private/link-local address
  | 'too_large' // over the per-type byte limit
  | 'timeout'
  | 'fetch_failed' // HTTP error status, connection refused, too many redirects
  | 'unsupported_type' // the bytes are not what the attachment claims, or a kind we do not read
  | 'corrupt' // the bytes are of the right kind but cannot be decoded (truncated OGG, broken PDF)
  | 'provider_failed' // the transcription/vision provider failed after its retries
  | 'no_provider'; // nothing configured can read this kind of media

export class MediaError extends Error {
  readonly reason: MediaFailureReason;

  constructor(reason: MediaFailureReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MediaError';
    this.reason = reason;
  }
}

/** The analytics outcome for a failure (the event schema's small outcome enum). */
export function outcomeFor(reason: MediaFailureReason): 'error' | 'timeout' | 'invalid' | 'skipped' {
  switch (reason) {
    case 'timeout':
      return 'timeout';
    case 'too_large':
    case 'unsupported_type':
    case 'corrupt':
    case 'blocked_host':
    case 'blocked_address':
      return 'invalid';
    case 'no_provider':
      return 'skipped';
    default:
      return 'error';
  }
}
