import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64 });

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** ssrf_filter's default redirect limit. */
const MAX_REDIRECTS = 10;

export interface PostResult {
  statusCode: number | null;
  error: string | null;
  /** Where the request finally went, after redirects. */
  finalUrl: string;
}

/**
 * POST a body the way `SafeFetch` does: JSON headers, one timeout for connect + read, redirects
 * followed (ssrf_filter re-sends the request to the new location), response body read and ignored.
 * Never throws: a failure before a status is `{ statusCode: null, error }`.
 */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<PostResult> {
  const deadline = Date.now() + timeoutMs;
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    const result = await postOnce(current, body, headers, Math.max(1, deadline - Date.now()));
    if (result.statusCode === null || !REDIRECTS.has(result.statusCode) || !result.location) {
      return { statusCode: result.statusCode, error: result.error, finalUrl: current };
    }
    current = new URL(result.location, current).toString();
  }
  return { statusCode: null, error: `too many redirects (${MAX_REDIRECTS})`, finalUrl: current };
}

function postOnce(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<{ statusCode: number | null; error: string | null; location?: string }> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve({ statusCode: null, error: `invalid URL ${url}` });
      return;
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      resolve({ statusCode: null, error: `unsupported scheme ${target.protocol}` });
      return;
    }
    const transport = target.protocol === 'https:' ? https : http;
    let settled = false;
    const finish = (result: { statusCode: number | null; error: string | null; location?: string }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const request = transport.request(
      target,
      {
        method: 'POST',
        agent: target.protocol === 'https:' ? httpsAgent : httpAgent,
        headers: { ...headers, 'content-length': Buffer.byteLength(body).toString() },
      },
      (response) => {
        response.on('data', () => undefined);
        response.on('end', () =>
          finish({
            statusCode: response.statusCode ?? null,
            error: null,
            location: response.headers.location,
          }),
        );
        response.on('error', (error) => finish({ statusCode: null, error: error.message }));
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      finish({ statusCode: null, error: `timeout after ${timeoutMs} ms` });
    }, timeoutMs);
    request.on('error', (error) => finish({ statusCode: null, error: error.message }));
    request.end(body);
  });
}

/** Loopback, private, link-local and unique-local addresses: what Chatwoot ≥ 4.14's ssrf_filter refuses. */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (net.isIPv4(host)) {
    const [a, b] = host.split('.').map(Number) as [number, number];
    return (
      a === 10 ||
      a === 127 ||
      a === 0 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168)
    );
  }
  if (net.isIPv6(host))
    return (
      host === '::1' ||
      host === '::' ||
      host.startsWith('fc') ||
      host.startsWith('fd') ||
      host.startsWith('fe80')
    );
  return false;
}
