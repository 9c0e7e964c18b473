import { parseRetryAfter } from '@switchboard/core';
import { ProviderCallError, kindForStatus } from './provider-error.js';

/**
 * Classifies errors thrown by the Stainless-generated SDKs (openai, @anthropic-ai/sdk), which
 * share one error hierarchy shape: APIError{status, headers}, APIUserAbortError,
 * APIConnectionTimeoutError, APIConnectionError. Duck-typed on purpose: each SDK has its own
 * classes, and a bundled duplicate copy would defeat instanceof.
 */
export function classifySdkError(provider: string, error: unknown): ProviderCallError {
  if (ProviderCallError.isInstance(error)) return error;
  const name = error instanceof Error ? error.constructor.name : '';
  const message = error instanceof Error ? error.message : String(error);
  const status = (error as { status?: unknown } | null)?.status;
  const headers = (error as { headers?: unknown } | null)?.headers;

  if (name === 'APIUserAbortError' || (error instanceof Error && error.name === 'AbortError')) {
    return new ProviderCallError({ provider, kind: 'aborted', message: 'request aborted', cause: error });
  }
  if (name === 'APIConnectionTimeoutError') {
    return new ProviderCallError({ provider, kind: 'timeout', message: 'request timed out', cause: error });
  }
  if (typeof status === 'number') {
    return new ProviderCallError({
      provider,
      kind: kindForStatus(status),
      status,
      retryAfterMs: headers instanceof Headers ? parseRetryAfter(headers) : null,
      message: `HTTP ${status}: ${message}`,
      cause: error,
    });
  }
  if (error instanceof SyntaxError) {
    return new ProviderCallError({
      provider,
      kind: 'invalid_response',
      message: 'malformed response body',
      cause: error,
    });
  }
  return new ProviderCallError({ provider, kind: 'network', message, cause: error });
}
