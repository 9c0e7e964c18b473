import type dns from 'node:dns';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MediaError } from './media-error.js';
import { fetchMedia, type FetchPolicy } from './safe-fetch.js';
import { redirectTo, serve, startMediaServer } from './testing/media-server.js';

/**
 * The allow-list is origins (scheme, host AND port), not host names: local mode allows the
 * simulator's 127.0.0.1:<port>, which must not open every other loopback port (the admin API of
 * whatever else listens there), however the address is spelled and however the URL gets there.
 */
type Server = Awaited<ReturnType<typeof startMediaServer>>;
let simulator: Server;
let internal: Server;
beforeEach(async () => {
  internal = await startMediaServer({ '/secret': serve(Buffer.from('internal secret'), 'image/png') });
  simulator = await startMediaServer({
    '/blob': serve(Buffer.from('attachment'), 'image/png'),
    '/to-internal': redirectTo(`http://127.0.0.1:${internal.port}/secret`),
    '/to-internal-hex': redirectTo(`http://0x7f000001:${internal.port}/secret`),
  });
});
afterEach(async () => {
  await Promise.all([simulator.close(), internal.close()]);
});

function localMode(overrides: Partial<FetchPolicy> = {}): FetchPolicy {
  return {
    allowedOrigins: [simulator.origin],
    allowPrivateAddresses: true,
    privateAddressHosts: [],
    maxRedirects: 5,
    timeoutMs: 5_000,
    maxBytes: 1024 * 1024,
    ...overrides,
  };
}

function lookupAll(address: string): typeof dns.lookup {
  return ((
    _hostname: string,
    _options: dns.LookupOptions,
    callback: (e: Error | null, a: dns.LookupAddress[]) => void,
  ) => callback(null, [{ address, family: address.includes(':') ? 6 : 4 }])) as unknown as typeof dns.lookup;
}

async function refused(url: string, policy: FetchPolicy): Promise<MediaError['reason']> {
  const error = await fetchMedia(url, policy).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MediaError);
  // Refused before connecting: the other service never saw a request.
  expect(internal.written.get('/secret') ?? 0).toBe(0);
  return (error as MediaError).reason;
}

describe('fetchMedia allow-list: scheme, host and port', () => {
  it('fetches from the allowed origin itself', async () => {
    const media = await fetchMedia(`${simulator.origin}/blob`, localMode());
    expect(media.bytes.toString()).toBe('attachment');
  });

  it('refuses another port of the allowed host', async () => {
    expect(await refused(`http://127.0.0.1:${internal.port}/secret`, localMode())).toBe('blocked_host');
  });

  it('refuses a redirect to another port of the allowed host', async () => {
    expect(await refused(`${simulator.origin}/to-internal`, localMode())).toBe('blocked_host');
    expect(await refused(`${simulator.origin}/to-internal-hex`, localMode())).toBe('blocked_host');
  });

  it.each([
    ['hex', '0x7f000001'],
    ['decimal', '2130706433'],
    ['octal', '0177.0.0.1'],
    ['short', '127.1'],
    ['IPv6-mapped', '[::ffff:127.0.0.1]'],
    ['IPv6-mapped hex', '[::ffff:7f00:1]'],
  ])('refuses the other port spelled %s (%s)', async (_form, host) => {
    expect(await refused(`http://${host}:${internal.port}/secret`, localMode())).toBe('blocked_host');
  });

  it.each([
    ['hex', '0x7f000001'],
    ['decimal', '2130706433'],
    ['octal', '0177.0.0.1'],
    ['short', '127.1'],
  ])('normalises the %s spelling before matching: the allowed origin is still allowed', async (_f, host) => {
    const media = await fetchMedia(`http://${host}:${simulator.port}/blob`, localMode());
    expect(media.bytes.toString()).toBe('attachment');
  });

  it('matches an IPv6-mapped URL against the IPv4 entry and an IPv4 URL against a mapped entry', async () => {
    const mapped = `http://[::ffff:127.0.0.1]:${simulator.port}`;
    const viaMapped = await fetchMedia(`${mapped}/blob`, localMode());
    expect(viaMapped.bytes.toString()).toBe('attachment');
    const viaEntry = await fetchMedia(`${simulator.origin}/blob`, localMode({ allowedOrigins: [mapped] }));
    expect(viaEntry.bytes.toString()).toBe('attachment');
  });

  it('refuses every numeric spelling of a private address when private addresses are not allowed', async () => {
    const production = localMode({ allowPrivateAddresses: false, allowedOrigins: [simulator.origin] });
    for (const host of ['0x7f000001', '2130706433', '0177.0.0.1', '127.1', '[::ffff:127.0.0.1]']) {
      expect(await refused(`http://${host}:${simulator.port}/blob`, production)).toBe('blocked_address');
    }
    expect(simulator.written.get('/blob') ?? 0).toBe(0);
  });

  it('refuses plain http when the entry is https (a bare host means https on 443)', async () => {
    const bare = localMode({ allowedOrigins: ['127.0.0.1'] });
    expect(await refused(`${simulator.origin}/blob`, bare)).toBe('blocked_host');
  });
});

describe('fetchMedia allow-list: private DNS answers', () => {
  // Production: Chatwoot's public name resolves to the proxy on the private compose network.
  function production(overrides: Partial<FetchPolicy>): FetchPolicy {
    return localMode({
      allowPrivateAddresses: false,
      lookup: lookupAll('127.0.0.1'),
      ...overrides,
    });
  }

  it('a privateAddressHosts entry (bare: https on 443) does not let another port resolve privately', async () => {
    const policy = production({
      allowedOrigins: ['chat.example.com', `http://chat.example.com:${internal.port}`],
      privateAddressHosts: ['chat.example.com'],
    });
    expect(await refused(`http://chat.example.com:${internal.port}/secret`, policy)).toBe('blocked_address');
  });

  it('a private origin entry allows exactly that origin to resolve privately', async () => {
    const origin = `http://chat.example.com:${simulator.port}`;
    const policy = production({ allowedOrigins: [origin], privateAddressHosts: [origin] });
    const media = await fetchMedia(`${origin}/blob`, policy);
    expect(media.bytes.toString()).toBe('attachment');
  });

  it.each([
    ['loopback', '127.0.0.1'],
    ['IPv6-mapped loopback', '::ffff:127.0.0.1'],
    ['IPv6-mapped hex', '::ffff:7f00:1'],
    ['metadata', '169.254.169.254'],
  ])('refuses an allowed name whose DNS answer is %s', async (_kind, address) => {
    const policy = production({
      allowedOrigins: [`http://storage.example.com:${internal.port}`],
      lookup: lookupAll(address),
    });
    expect(await refused(`http://storage.example.com:${internal.port}/secret`, policy)).toBe(
      'blocked_address',
    );
  });
});
