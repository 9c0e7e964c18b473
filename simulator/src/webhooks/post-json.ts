import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { safeTarget } from './ssrf-filter.js';

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
 * With `blockPrivateNetwork` (Chatwoot's default unless SAFE_FETCH_ALLOW_PRIVATE_NETWORK=true)
 * every hop's host is resolved and refused when it has no public address, and the connection goes
 * to the address checked. Never throws: a failure before a status is `{ statusCode: null, error }`.
 */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  options: { blockPrivateNetwork?: boolean } = {},
): Promise<PostResult> {
  const deadline = Date.now() + timeoutMs;
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    let pinned: LookupFunction | undefined;
    if (options.blockPrivateNetwork) {
      const target = await safeTarget(hostnameOf(current));
      if ('refused' in target) {
        return { statusCode: null, error: `SafeFetch::UnsafeUrlError ${target.refused}`, finalUrl: current };
      }
      pinned = (_host, _options, callback) => callback(null, target.address, target.family);
    }
    const result = await postOnce(current, body, headers, Math.max(1, deadline - Date.now()), pinned);
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
  pinnedLookup?: LookupFunction,
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
        // A pinned address must not reuse a kept-alive socket opened for another address.
        agent: pinnedLookup ? false : target.protocol === 'https:' ? httpsAgent : httpAgent,
        ...(pinnedLookup ? { lookup: pinnedLookup } : {}),
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

function hostnameOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}
