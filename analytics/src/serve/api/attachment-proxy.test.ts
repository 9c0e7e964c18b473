import type dns from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { switchboardConfigSchema } from '@switchboard/core';
import { fetchAttachment, ProxyRefusal, type ProxyDependencies } from './attachment-proxy.js';
import type { ConversationAttachment } from './conversation-attachments.js';
import { PNG, startFakeChatwoot } from '../../testing/attachment-fixtures.js';

let chatwoot: Awaited<ReturnType<typeof startFakeChatwoot>>;
let local: ProxyDependencies;
let port: number;

function depsFor(
  media: Record<string, unknown>,
  baseUrl: string,
  lookup?: typeof dns.lookup,
  userAccessToken?: string,
): ProxyDependencies {
  const user = userAccessToken ? { userAccessToken } : {};
  const config = switchboardConfigSchema.parse({
    chatwoot: { accounts: [{ id: 1, baseUrl, bot: { id: 9, accessToken: 'bot-token' }, ...user }] },
    media,
  });
  return { config, ...(lookup ? { lookup } : {}) };
}

function attachment(
  dataUrl: string,
  overrides: Partial<ConversationAttachment> = {},
): ConversationAttachment {
  return {
    key: '1-0',
    messageId: 1,
    position: 0,
    attachmentId: 11,
    conversationId: 7,
    at: '2026-12-01T10:00:00.000Z',
    fileType: 'image',
    kind: 'image',
    sizeBytes: null,
    contentType: null,
    fileName: null,
    dataUrl,
    thumbUrl: null,
    mediaPath: null,
    thumbnailPath: null,
    location: null,
    reading: null,
    ...overrides,
  };
}

async function refusal(deps: ProxyDependencies, a: ConversationAttachment): Promise<ProxyRefusal> {
  const error = await fetchAttachment(deps, 1, a, 'file').then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProxyRefusal);
  return error as ProxyRefusal;
}

beforeAll(async () => {
  chatwoot = await startFakeChatwoot();
  port = Number(new URL(chatwoot.origin).port);
  const png = { status: 200, headers: { 'content-type': 'image/png' }, body: PNG };
  chatwoot.routes.set('/ok.png', png);
  chatwoot.routes.set('/out', {
    status: 302,
    headers: { location: 'http://169.254.169.254/latest/meta-data/' },
  });
  chatwoot.routes.set('/other-port', {
    status: 302,
    headers: { location: `http://127.0.0.1:${port + 1}/ok.png` },
  });
  chatwoot.routes.set('/big.png', {
    status: 200,
    headers: { 'content-type': 'image/png' },
    body: Buffer.concat([PNG, Buffer.alloc(4096)]),
  });
  chatwoot.routes.set('/logo.svg', {
    status: 200,
    headers: { 'content-type': 'image/svg+xml' },
    body: '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
  });
  chatwoot.routes.set('/page.png', { status: 200, headers: { 'content-type': 'image/png' }, body: '<html>' });
  chatwoot.routes.set('/page.html', {
    status: 200,
    headers: { 'content-type': 'text/html' },
    body: '<html>',
  });
  chatwoot.routes.set('/loop', { status: 302, headers: { location: '/loop' } });
  chatwoot.routes.set('/gone.png', { status: 404, body: 'Not Found' });
  local = depsFor(
    { fetch: { allowPrivateAddresses: true, maxRedirects: 3 }, maxBytes: { image: 1024 } },
    chatwoot.origin,
  );
});
afterAll(() => chatwoot?.close());

describe('attachment proxy: served only under the media fetcher rules', () => {
  it('serves an allowed PNG from Chatwoot (the case every refusal below differs from)', async () => {
    const media = await fetchAttachment(local, 1, attachment(`${chatwoot.origin}/ok.png`), 'file');
    expect(media).toMatchObject({ contentType: 'image/png', refreshed: false });
    expect(media.bytes.equals(PNG)).toBe(true);
  });

  it('refuses a host that is neither Chatwoot nor a storage host', async () => {
    expect(await refusal(local, attachment('https://evil.example.net/x.png'))).toMatchObject({
      status: 502,
      reason: 'blocked_host',
    });
  });

  it("refuses Chatwoot's host on another port", async () => {
    expect((await refusal(local, attachment(`http://127.0.0.1:${port + 1}/ok.png`))).reason).toBe(
      'blocked_host',
    );
  });

  it('refuses another scheme', async () => {
    expect((await refusal(local, attachment(`ftp://127.0.0.1:${port}/ok.png`))).reason).toBe('blocked_host');
    expect((await refusal(local, attachment('file:///etc/passwd'))).reason).toBe('blocked_host');
  });

  it('re-checks redirects: to the metadata service, and to another port', async () => {
    expect((await refusal(local, attachment(`${chatwoot.origin}/out`))).reason).toBe('blocked_host');
    expect((await refusal(local, attachment(`${chatwoot.origin}/other-port`))).reason).toBe('blocked_host');
  });

  it('refuses more redirects than allowed', async () => {
    expect((await refusal(local, attachment(`${chatwoot.origin}/loop`))).reason).toBe('fetch_failed');
  });

  it('refuses an allowed name that resolves to a private address (production: no private addresses)', async () => {
    const toLoopback = ((
      _host: string,
      _options: unknown,
      callback: (e: null, a: dns.LookupAddress[]) => void,
    ) => callback(null, [{ address: '127.0.0.1', family: 4 }])) as unknown as typeof dns.lookup;
    const production = depsFor({}, `http://chat.example.com:${port}`, toLoopback);
    const refused = await refusal(production, attachment(`http://chat.example.com:${port}/ok.png`));
    expect(refused.reason).toBe('blocked_address');
  });

  it('refuses an IP literal in a private range when private addresses are not allowed', async () => {
    const production = depsFor({}, `http://10.0.0.5:${port}`);
    expect((await refusal(production, attachment(`http://10.0.0.5:${port}/ok.png`))).reason).toBe(
      'blocked_address',
    );
  });

  it("refuses a body over the kind's byte limit", async () => {
    expect(await refusal(local, attachment(`${chatwoot.origin}/big.png`))).toMatchObject({
      status: 502,
      reason: 'too_large',
    });
  });

  it('refuses SVG (script) as an image, and HTML as a document', async () => {
    expect(await refusal(local, attachment(`${chatwoot.origin}/logo.svg`))).toMatchObject({
      status: 415,
      reason: 'unsupported_type',
    });
    const html = attachment(`${chatwoot.origin}/page.html`, { kind: 'document', fileType: 'file' });
    expect((await refusal(local, html)).reason).toBe('unsupported_type');
  });

  it('refuses bytes that are not the type declared', async () => {
    expect((await refusal(local, attachment(`${chatwoot.origin}/page.png`))).reason).toBe('type_mismatch');
  });

  it("an expired link Chatwoot has no fresh one for is refused as expired, Chatwoot's API asked once", async () => {
    const withUser = depsFor(
      { fetch: { allowPrivateAddresses: true } },
      chatwoot.origin,
      undefined,
      'user-token',
    );
    chatwoot.requests.length = 0;
    expect((await refusal(withUser, attachment(`${chatwoot.origin}/gone.png`))).reason).toBe('expired');
    expect(chatwoot.requests).toEqual([
      { path: '/gone.png', token: undefined },
      { path: '/api/v1/accounts/1/conversations/7/messages?before=2', token: 'user-token' },
    ]);
  });

  it('without a user token the messages API is not asked (the bot token may not read history)', async () => {
    chatwoot.requests.length = 0;
    expect((await refusal(local, attachment(`${chatwoot.origin}/gone.png`))).reason).toBe('expired');
    expect(chatwoot.requests.map((r) => r.path)).toEqual(['/gone.png']);
  });

  it('locations and contact cards are never fetched', async () => {
    const location = attachment('https://maps.example.com/?q=1', { kind: 'location', fileType: 'location' });
    expect((await refusal(local, location)).status).toBe(404);
  });
});
