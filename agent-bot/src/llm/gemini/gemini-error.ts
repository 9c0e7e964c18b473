import { ProviderCallError, kindForStatus } from '../provider-error.js';

/**
 * @google/genai throws ApiError{status, message = the JSON error body}, without headers. A 429
 * carries its wait in google.rpc.RetryInfo (`"retryDelay": "37s"`) inside error.details.
 */
export function classifyGeminiError(error: unknown): ProviderCallError {
  if (ProviderCallError.isInstance(error)) return error;
  const provider = 'gemini';
  if (error instanceof Error && error.name === 'AbortError') {
    return new ProviderCallError({ provider, kind: 'aborted', message: 'request aborted', cause: error });
  }
  const status = (error as { status?: unknown } | null)?.status;
  if (error instanceof Error && error.name === 'ApiError' && typeof status === 'number') {
    return new ProviderCallError({
      provider,
      kind: kindForStatus(status),
      status,
      retryAfterMs: retryDelayFrom(error.message),
      message: `HTTP ${status}: ${summary(error.message)}`,
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
  return new ProviderCallError({
    provider,
    kind: 'network',
    message: error instanceof Error ? error.message : String(error),
    cause: error,
  });
}

function retryDelayFrom(body: string): number | null {
  const match = /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/.exec(body);
  return match ? Math.round(Number(match[1]) * 1000) : null;
}

function summary(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { status?: string; message?: string } };
    return [parsed.error?.status, parsed.error?.message].filter(Boolean).join(' ');
  } catch {
    return body.slice(0, 200);
  }
}
