import { LoadError } from './loaded-source.js';
import { formatBytes } from './load-file.js';

export interface FetchLimits {
  maxBytes: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface FetchedUrl {
  url: string;
  contentType: string | null;
  bytes: Buffer;
}

/**
 * GET with a deadline and a byte cap enforced while streaming (a missing or lying
 * Content-Length cannot make us buffer a huge body). Only http and https.
 */
export async function fetchUrl(url: string, limits: FetchLimits): Promise<FetchedUrl> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new LoadError(url, 'not a valid URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new LoadError(url, `unsupported URL scheme ${parsed.protocol}`);
  }
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const signal = limits.signal ? AbortSignal.any([limits.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch(parsed, {
      signal,
      redirect: 'follow',
      headers: {
        'user-agent': 'switchboard-kb-ingest/0.1',
        accept: 'text/html,application/xhtml+xml,application/xml,application/pdf,text/*;q=0.9,*/*;q=0.5',
      },
    });
  } catch (error) {
    throw new LoadError(url, describeFetchError(error, timeout, limits.timeoutMs));
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new LoadError(url, `HTTP ${response.status} ${response.statusText}`.trim());
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limits.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new LoadError(url, `too large (${formatBytes(declared)}; limit ${formatBytes(limits.maxBytes)})`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of response.body ?? []) {
      total += (chunk as Uint8Array).length;
      if (total > limits.maxBytes) {
        await response.body?.cancel().catch(() => undefined);
        throw new LoadError(url, `too large (more than ${formatBytes(limits.maxBytes)})`);
      }
      chunks.push(Buffer.from(chunk as Uint8Array));
    }
  } catch (error) {
    if (error instanceof LoadError) throw error;
    throw new LoadError(url, describeFetchError(error, timeout, limits.timeoutMs));
  }
  return {
    url: response.url || url,
    contentType: response.headers.get('content-type'),
    bytes: Buffer.concat(chunks),
  };
}

function describeFetchError(error: unknown, timeout: AbortSignal, timeoutMs: number): string {
  if (timeout.aborted) return `timed out after ${timeoutMs} ms`;
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return `unreachable (${cause.code})`;
  if ((error as Error)?.name === 'AbortError') return 'cancelled';
  return `unreachable (${cause?.message ?? (error as Error)?.message ?? String(error)})`;
}
