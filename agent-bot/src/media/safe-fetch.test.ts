import type dns from 'node:dns';
import { afterEach, describe, expect, it } from 'vitest';
import { MediaError } from './media-error.js';
import { fetchMedia, type FetchPolicy } from './safe-fetch.js';
import { redirectTo, serve, startMediaServer, streamBytes } from './testing/media-server.js';

const MB = 1024 * 1024;
const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Names resolved the way a test wants (a public-looking name pointing at loopback, or metadata). */
function lookupMap(map: Record<string, string>): typeof dns.lookup {
  return ((
    hostname: string,
    options: dns.LookupOptions,
    callback: (e: Error | null, a: dns.LookupAddress[]) => void,
  ) => {
    const address = map[hostname];
    if (!address)
      return callback(
        Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }),
        [],
      );
    callback(null, [{ address, family: address.includes(':') ? 6 : 4 }]);
  }) as unknown as typeof dns.lookup;
}

/** Chatwoot (the test server) on http://chatwoot.test:<port>, as `baseUrl`'s origin is allowed. */
function policy(overrides: Partial<FetchPolicy>, port = 0): FetchPolicy {
  return {
    allowedOrigins: [`http://chatwoot.test:${port}`],
    allowPrivateAddresses: false,
    // Chatwoot on a private network (the Docker case): only this name may be private.
    privateAddressHosts: [`http://chatwoot.test:${port}`],
    maxRedirects: 5,
    timeoutMs: 5_000,
    maxBytes: 16 * MB,
    lookup: lookupMap({ 'chatwoot.test': '127.0.0.1' }),
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<MediaError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MediaError);
  return error as MediaError;
}

describe('fetchMedia', () => {
  it('follows the ActiveStorage redirect on the same host and returns the bytes', async () => {
    const body = Buffer.from('OggS fake voice');
    const server = await startMediaServer({
      '/rails/active_storage/blobs/redirect/abc/voice.ogg': redirectTo(
        '/rails/active_storage/disk/abc/voice.ogg',
      ),
      '/rails/active_storage/disk/abc/voice.ogg': serve(body, 'audio/ogg'),
    });
    servers.push(server);
    const result = await fetchMedia(
      `http://chatwoot.test:${server.port}/rails/active_storage/blobs/redirect/abc/voice.ogg`,
      policy({}, server.port),
    );
    expect(result.bytes.equals(body)).toBe(true);
    expect(result.declaredContentType).toBe('audio/ogg');
    expect(result.redirects).toBe(1);
  });

  it('blocks a redirect to 127.0.0.1 (not an allowed host)', async () => {
    const server = await startMediaServer({ '/r': redirectTo('http://127.0.0.1:1/secret') });
    servers.push(server);
    const error = await failure(fetchMedia(`http://chatwoot.test:${server.port}/r`, policy({}, server.port)));
    expect(error.reason).toBe('blocked_host');
  });

  it('blocks 127.0.0.1 even when listed as an origin, unless private addresses are allowed', async () => {
    const server = await startMediaServer({ '/blob': serve(Buffer.from('x'), 'image/png') });
    servers.push(server);
    const url = `http://127.0.0.1:${server.port}/blob`;
    const allowedOrigins = [server.origin];
    const error = await failure(fetchMedia(url, policy({ allowedOrigins })));
    expect(error.reason).toBe('blocked_address');
    // Local mode (the simulator on loopback) opts in explicitly.
    const ok = await fetchMedia(url, policy({ allowedOrigins, allowPrivateAddresses: true }));
    expect(ok.bytes.toString()).toBe('x');
  });

  it('blocks a redirect to an unknown host', async () => {
    const server = await startMediaServer({ '/r': redirectTo('https://attacker.example/collect') });
    servers.push(server);
    const error = await failure(fetchMedia(`http://chatwoot.test:${server.port}/r`, policy({}, server.port)));
    expect(error.reason).toBe('blocked_host');
    expect(error.message).toContain('attacker.example');
  });

  it('blocks an allowed storage host that resolves to the metadata address (169.254.169.254)', async () => {
    const server = await startMediaServer({ '/r': redirectTo('http://storage.test/latest/meta-data/') });
    servers.push(server);
    const error = await failure(
      fetchMedia(
        `http://chatwoot.test:${server.port}/r`,
        policy(
          {
            allowedOrigins: [`http://chatwoot.test:${server.port}`, 'http://storage.test'],
            lookup: lookupMap({ 'chatwoot.test': '127.0.0.1', 'storage.test': '169.254.169.254' }),
          },
          server.port,
        ),
      ),
    );
    expect(error.reason).toBe('blocked_address');
  });

  it('blocks IPv6 loopback and IPv4-mapped literals, and non-HTTP schemes', async () => {
    const all = policy({
      allowedOrigins: ['http://[::1]:9', 'http://[::ffff:a9fe:a9fe]', 'http://chatwoot.test'],
    });
    expect((await failure(fetchMedia('http://[::1]:9/x', all))).reason).toBe('blocked_address');
    expect((await failure(fetchMedia('http://[::ffff:169.254.169.254]/x', all))).reason).toBe(
      'blocked_address',
    );
    expect((await failure(fetchMedia('file:///etc/passwd', all))).reason).toBe('blocked_host');
  });

  it('matches wildcard storage hosts (*.s3.example.com) but not look-alikes', async () => {
    const server = await startMediaServer({ '/r': redirectTo('http://bucket.s3.example.com.evil.test/x') });
    servers.push(server);
    const error = await failure(
      fetchMedia(
        `http://chatwoot.test:${server.port}/r`,
        policy(
          { allowedOrigins: [`http://chatwoot.test:${server.port}`, 'http://*.s3.example.com'] },
          server.port,
        ),
      ),
    );
    expect(error.reason).toBe('blocked_host');
  });

  it('refuses a 50 MB upload while streaming it, without reading it all', async () => {
    const server = await startMediaServer({ '/big': streamBytes(50 * MB) });
    servers.push(server);
    const started = Date.now();
    const error = await failure(
      fetchMedia(`http://chatwoot.test:${server.port}/big`, policy({ maxBytes: 16 * MB }, server.port)),
    );
    expect(error.reason).toBe('too_large');
    // The server stopped well before 50 MB: the client hung up just past the 16 MB limit (what
    // the server managed to write beyond that sat in loopback socket buffers).
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.written.get('/big')!).toBeLessThan(30 * MB);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses at once when the declared content-length is over the limit', async () => {
    const server = await startMediaServer({ '/big': serve(Buffer.alloc(6 * MB), 'image/jpeg') });
    servers.push(server);
    const error = await failure(
      fetchMedia(`http://chatwoot.test:${server.port}/big`, policy({ maxBytes: 5 * MB }, server.port)),
    );
    expect(error.reason).toBe('too_large');
    expect(error.message).toContain(String(6 * MB));
  });

  it('times out on a server that never answers', async () => {
    const server = await startMediaServer({ '/silent': () => undefined });
    servers.push(server);
    const started = Date.now();
    const error = await failure(
      fetchMedia(`http://chatwoot.test:${server.port}/silent`, policy({ timeoutMs: 300 }, server.port)),
    );
    expect(error.reason).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('reports HTTP errors and redirect loops as fetch failures', async () => {
    const server = await startMediaServer({ '/loop': redirectTo('/loop') });
    servers.push(server);
    const base = `http://chatwoot.test:${server.port}`;
    expect((await failure(fetchMedia(`${base}/missing`, policy({}, server.port)))).reason).toBe(
      'fetch_failed',
    );
    const loop = await failure(fetchMedia(`${base}/loop`, policy({ maxRedirects: 3 }, server.port)));
    expect(loop.reason).toBe('fetch_failed');
    expect(loop.message).toContain('redirects');
  });
});
