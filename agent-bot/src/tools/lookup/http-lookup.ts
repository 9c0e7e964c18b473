import type { HttpLookupConfig } from '@switchboard/core';
import { LookupError } from './lookup-error.js';

/**
 * Runs a declared HTTP lookup. The model's values only ever fill `{placeholders}` (URL-encoded,
 * so they cannot change the host or path structure) or become query parameters / a JSON body.
 * Redirects are refused (a redirect could lead the request, with its auth header, elsewhere),
 * the response is size-capped and trimmed to the declared fields.
 */
export interface HttpLookupResult {
  found: boolean;
  data: unknown;
}

export async function runHttpLookup(
  lookup: HttpLookupConfig,
  args: Record<string, unknown>,
  fetchImpl: typeof fetch = fetch,
): Promise<HttpLookupResult> {
  const used = new Set<string>();
  const url = new URL(
    lookup.url.replace(/\{([a-zA-Z][a-zA-Z0-9_]*)\}/g, (_match, name: string) => {
      used.add(name);
      return encodeURIComponent(String(args[name] ?? ''));
    }),
  );
  const rest = Object.fromEntries(
    Object.entries(args).filter(([name, value]) => !used.has(name) && value !== undefined),
  );
  if (lookup.method === 'GET') {
    for (const [name, value] of Object.entries(rest)) url.searchParams.set(name, String(value));
  }

  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: lookup.method,
      headers: {
        accept: 'application/json',
        ...(lookup.method === 'POST' ? { 'content-type': 'application/json' } : {}),
        ...lookup.headers,
      },
      ...(lookup.method === 'POST' ? { body: JSON.stringify(rest) } : {}),
      redirect: 'manual',
      signal: AbortSignal.timeout(lookup.timeoutMs),
    });
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new LookupError(
        'timeout',
        'The service behind this lookup did not answer in time.',
        (error as Error).message,
      );
    }
    throw new LookupError(
      'unavailable',
      'The service behind this lookup is not reachable right now.',
      String((error as Error).cause ?? error),
    );
  }

  if (response.status === 404) {
    await response.body?.cancel();
    return { found: false, data: null };
  }
  if (response.status >= 500) {
    await response.body?.cancel();
    throw new LookupError('unavailable', `The service behind this lookup failed (HTTP ${response.status}).`);
  }
  if (response.status >= 300) {
    await response.body?.cancel();
    throw new LookupError('rejected', `The service refused the lookup (HTTP ${response.status}).`);
  }
  const text = await readCapped(response, lookup.maxResponseBytes);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new LookupError('misconfigured', 'The service answered with something other than JSON.');
  }
  return { found: true, data: pickFields(body, lookup.responseFields, lookup.maxRows) };
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new LookupError('misconfigured', 'The service answered with more data than this lookup allows.');
  }
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new LookupError('misconfigured', 'The service answered with more data than this lookup allows.');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Keeps only the declared dot paths (`status`, `items.*.sku`, `items.0.name`); arrays are cut
 * to `maxItems` so a huge list never floods the model's context.
 */
export function pickFields(body: unknown, paths: string[], maxItems: number): unknown {
  const limit = (value: unknown): unknown => (Array.isArray(value) ? value.slice(0, maxItems) : value);
  if (paths.length === 0) return limit(body);
  const out: Record<string, unknown> = {};
  for (const path of paths) {
    const value = resolve(body, path.split('.'), maxItems);
    if (value !== undefined) out[path] = value;
  }
  return out;
}

function resolve(value: unknown, segments: string[], maxItems: number): unknown {
  if (segments.length === 0) return Array.isArray(value) ? value.slice(0, maxItems) : value;
  const [head, ...rest] = segments as [string, ...string[]];
  if (head === '*') {
    if (!Array.isArray(value)) return undefined;
    return value.slice(0, maxItems).map((item) => resolve(item, rest, maxItems));
  }
  if (value === null || typeof value !== 'object') return undefined;
  return resolve((value as Record<string, unknown>)[head], rest, maxItems);
}
