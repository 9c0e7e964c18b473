import { RetryableError } from '../retry/retryable-error.js';

export interface HttpRequest {
  method?: string;
  url: string | URL;
  headers?: Record<string, string>;
  /** Sent as JSON (with its content type). */
  json?: unknown;
  /** Sent as it is: a FormData goes as multipart with its boundary set by fetch. */
  body?: FormData | string | Uint8Array;
  /** Covers the whole exchange, the response body included. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** The body parsed as JSON when it is JSON, else its text ('' when empty). */
  data: unknown;
}

export type HttpFailureCode = 'timeout' | 'aborted' | 'network';

/**
 * No HTTP answer at all. `detail` is what a log may say (the system error code, as
 * ECONNREFUSED, when there is one), never a header or a body.
 */
export class HttpRequestError extends RetryableError {
  override readonly name = 'HttpRequestError';
  constructor(
    readonly code: HttpFailureCode,
    readonly detail: string,
    cause?: unknown,
  ) {
    // A timeout or a refused connection may pass; the caller aborting means nobody waits.
    super(`HTTP request failed: ${detail}`, { retryable: code !== 'aborted', cause });
  }
}

/**
 * The one outbound HTTP client: Node's built-in fetch (undici). Every status is an answer (the
 * caller decides what a 429 or a 5xx means); only a missing answer throws, as HttpRequestError.
 */
export async function httpRequest(request: HttpRequest): Promise<HttpResponse> {
  const timeout = request.timeoutMs === undefined ? null : AbortSignal.timeout(request.timeoutMs);
  const signals = [request.signal, timeout].filter((s): s is AbortSignal => s !== undefined && s !== null);
  const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  let body: FormData | string | Uint8Array | undefined = request.body;
  if (request.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.json);
  }
  try {
    const response = await fetch(request.url, {
      method: request.method ?? 'GET',
      headers,
      ...(body === undefined ? {} : { body }),
      ...(signal ? { signal } : {}),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, data: parseBody(text) };
  } catch (error) {
    if (timeout?.aborted) throw new HttpRequestError('timeout', 'timeout', error);
    if (request.signal?.aborted) throw new HttpRequestError('aborted', 'aborted', error);
    throw new HttpRequestError('network', networkDetail(error), error);
  }
}

function parseBody(text: string): unknown {
  if (text === '') return '';
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** undici reports "fetch failed" with the system error as its cause: the cause's code says more. */
function networkDetail(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message.slice(0, 200);
  return error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200);
}
