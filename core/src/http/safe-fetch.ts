import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { LookupFunction } from 'node:net';
import { canonicalHost, parseFetchOrigin, type FetchOrigin } from '../config/sections/media.js';
import { isPrivateAddress, originAllowed } from './address-policy.js';

/** Why a fetch was refused or failed; `status` is the HTTP status when the server answered one. */
export type SafeFetchFailure = 'blocked_host' | 'blocked_address' | 'too_large' | 'timeout' | 'fetch_failed';

export class SafeFetchError extends Error {
  readonly reason: SafeFetchFailure;
  readonly status: number | undefined;

  constructor(reason: SafeFetchFailure, message: string, options?: { cause?: unknown; status?: number }) {
    super(message, options);
    this.name = 'SafeFetchError';
    this.reason = reason;
    this.status = options?.status;
  }
}

export interface FetchPolicy {
  /**
   * Origins the first URL and every redirect may point to (Chatwoot's own and its storage):
   * `http://127.0.0.1:3100` or a bare host, which means https on 443 (`parseFetchOrigin`).
   */
  allowedOrigins: readonly string[];
  /** Local mode only: allowed origins may be loopback or private (the simulator on 127.0.0.1). */
  allowPrivateAddresses: boolean;
  /** Origins that may resolve to private addresses (Chatwoot on the same Docker network). */
  privateAddressHosts: readonly string[];
  maxRedirects: number;
  timeoutMs: number;
  maxBytes: number;
  /** Who is asking (agent-bot, analytics); defaults to `switchboard`. */
  userAgent?: string;
  /** DNS resolution; injected in tests to point a name at a given address. */
  lookup?: typeof dns.lookup;
}

export interface FetchedMedia {
  bytes: Buffer;
  /** The content type the server declared (checked against the bytes later). */
  declaredContentType: string | null;
  finalUrl: string;
  redirects: number;
}

/**
 * GET a Chatwoot `data_url` (a public ActiveStorage redirect) without letting it become an SSRF
 * primitive (agent-bot's media fetcher and analytics' attachment proxy share it): every hop's scheme, host and port must be allowed (numeric IP spellings normalised
 * first), every connection's resolved address is checked inside the socket's own lookup, so the
 * socket connects to exactly the address that was checked (DNS rebinding does not help), the body is streamed and
 * cut off at `maxBytes` (a 50 MB upload never sits in memory), and one deadline covers it all.
 */
export async function safeFetch(
  url: string,
  policy: FetchPolicy,
  signal?: AbortSignal,
  /** Headers for the first request only (an API token), never sent on to a redirect's target. */
  firstHopHeaders: Record<string, string> = {},
): Promise<FetchedMedia> {
  const deadline = AbortSignal.timeout(policy.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
  let current = parseUrl(url);
  for (let redirects = 0; ; redirects++) {
    const origin = checkOrigin(current, policy);
    const headers = redirects === 0 ? firstHopHeaders : {};
    const response = await request(current, origin, policy, combined, deadline, headers);
    if (response.kind === 'redirect') {
      if (redirects >= policy.maxRedirects) {
        throw new SafeFetchError('fetch_failed', `more than ${policy.maxRedirects} redirects`);
      }
      current = parseUrl(response.location, current);
      continue;
    }
    return { ...response.media, finalUrl: current.toString(), redirects };
  }
}

function parseUrl(raw: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw new SafeFetchError('fetch_failed', 'invalid attachment URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new SafeFetchError('blocked_host', `protocol ${url.protocol} is not allowed`);
  }
  return url;
}

/** The hop's canonical origin, when its scheme, host and port are allowed and its address may be used. */
function checkOrigin(url: URL, policy: FetchPolicy): FetchOrigin {
  const origin = parseFetchOrigin(url.origin);
  if (!origin) throw new SafeFetchError('blocked_host', 'attachment URL has no usable origin');
  const shown = `${origin.scheme}://${url.host}`;
  if (!originAllowed(origin, policy.allowedOrigins)) {
    throw new SafeFetchError('blocked_host', `${shown} is not Chatwoot's or a configured storage origin`);
  }
  // An IP literal never goes through `lookup`, so it is checked here.
  if (net.isIP(origin.host) && !privateAllowed(origin, policy) && isPrivateAddress(origin.host)) {
    throw new SafeFetchError('blocked_address', `address ${origin.host} is private, loopback or link-local`);
  }
  return origin;
}

function privateAllowed(origin: FetchOrigin, policy: FetchPolicy): boolean {
  return policy.allowPrivateAddresses || originAllowed(origin, policy.privateAddressHosts);
}

/**
 * The socket's lookup: resolves, refuses the whole answer when any address is private (unless the
 * origin may be), and hands the socket exactly the checked addresses, so what it connects to is
 * what was checked.
 */
function guardedLookup(origin: FetchOrigin, policy: FetchPolicy): LookupFunction {
  const resolve = policy.lookup ?? dns.lookup;
  const mayBePrivate = privateAllowed(origin, policy);
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 4);
      const list = addresses as unknown as dns.LookupAddress[];
      const bad = mayBePrivate
        ? undefined
        : list.find((entry) => isPrivateAddress(canonicalHost(entry.address)));
      if (bad || list.length === 0) {
        const refused = new SafeFetchError(
          'blocked_address',
          `${origin.host} resolves to a private, loopback or link-local address`,
        );
        return callback(refused as unknown as NodeJS.ErrnoException, '', 4);
      }
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      return callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

type HopResult =
  | { kind: 'redirect'; location: string }
  | { kind: 'body'; media: Omit<FetchedMedia, 'finalUrl' | 'redirects'> };

function request(
  url: URL,
  origin: FetchOrigin,
  policy: FetchPolicy,
  signal: AbortSignal,
  deadline: AbortSignal,
  extraHeaders: Record<string, string>,
): Promise<HopResult> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<HopResult>((resolve, reject) => {
    const fail = (error: unknown): void => reject(translate(error, signal, deadline));
    const req = client.request(
      url,
      {
        method: 'GET',
        signal,
        lookup: guardedLookup(origin, policy),
        // No pooled keep-alive socket: every connection goes through this policy's lookup.
        agent: false,
        headers: { accept: '*/*', 'user-agent': policy.userAgent ?? 'switchboard', ...extraHeaders },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && status !== 304) {
          res.resume();
          const location = res.headers.location;
          if (!location)
            return reject(new SafeFetchError('fetch_failed', `HTTP ${status} without a location`));
          return resolve({ kind: 'redirect', location });
        }
        if (status < 200 || status >= 300) {
          res.resume();
          return reject(
            new SafeFetchError('fetch_failed', `HTTP ${status} fetching the attachment`, { status }),
          );
        }
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > policy.maxBytes) {
          reject(tooLarge(policy.maxBytes, declared));
          res.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        let received = 0;
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          // Counted while streaming: a lying or absent content-length is caught here.
          if (received > policy.maxBytes) {
            reject(tooLarge(policy.maxBytes, null));
            res.destroy();
            req.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', fail);
        res.on('aborted', () => fail(new Error('response aborted')));
        res.on('end', () => {
          if (!res.complete)
            return fail(new SafeFetchError('fetch_failed', 'attachment download was cut short'));
          resolve({
            kind: 'body',
            media: { bytes: Buffer.concat(chunks), declaredContentType: res.headers['content-type'] ?? null },
          });
        });
      },
    );
    req.on('error', fail);
    req.end();
  });
}

function tooLarge(max: number, declared: number | null): SafeFetchError {
  const size = declared === null ? 'more than' : `${declared} bytes, over`;
  return new SafeFetchError('too_large', `attachment is ${size} the ${max}-byte limit`);
}

function translate(error: unknown, signal: AbortSignal, deadline: AbortSignal): SafeFetchError {
  if (error instanceof SafeFetchError) return error;
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause instanceof SafeFetchError) return cause;
  if (deadline.aborted)
    return new SafeFetchError('timeout', 'attachment download timed out', { cause: error });
  if (signal.aborted) return new SafeFetchError('timeout', 'attachment download aborted', { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new SafeFetchError('fetch_failed', `attachment download failed: ${message.slice(0, 200)}`, {
    cause: error,
  });
}
