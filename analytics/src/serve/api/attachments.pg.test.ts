import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createLogger, switchboardConfigSchema } from '@switchboard/core';
import { createTestClickHouse, type TestClickHouse } from '@switchboard/core/testing';
import { buildAnalyticsServe } from '../build-serve.js';
import { insertEvents } from '../../testing/seed-dataset.js';
import {
  inboundMessage,
  OGG,
  PDF,
  PNG,
  readingEvent,
  startFakeChatwoot,
} from '../../testing/attachment-fixtures.js';

const TOKEN_1 = 'token-account-one-0123456789abcdef';
const TOKEN_2 = 'token-account-two-0123456789abcdef';
const auth1 = { authorization: `Bearer ${TOKEN_1}` };
const auth2 = { authorization: `Bearer ${TOKEN_2}` };

let ch: TestClickHouse;
let app: FastifyInstance;
let chatwoot: Awaited<ReturnType<typeof startFakeChatwoot>>;

beforeAll(async () => {
  chatwoot = await startFakeChatwoot();
  const o = chatwoot.origin;
  chatwoot.routes.set('/blobs/photo.png', {
    status: 200,
    headers: { 'content-type': 'image/png' },
    body: PNG,
  });
  chatwoot.routes.set('/thumbs/photo.png', { status: 302, headers: { location: '/disk/photo-thumb.png' } });
  chatwoot.routes.set('/disk/photo-thumb.png', {
    status: 200,
    headers: { 'content-type': 'image/png' },
    body: PNG,
  });
  chatwoot.routes.set('/blobs/note.ogg', {
    status: 200,
    headers: { 'content-type': 'audio/ogg' },
    body: OGG,
  });
  // The stored link of the PDF has expired; Chatwoot's messages API gives a fresh one.
  chatwoot.routes.set('/blobs/menu-expired.pdf', { status: 403, body: 'Request has expired' });
  chatwoot.routes.set('/api/v1/accounts/1/conversations/7/messages?before=1003', {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      payload: [
        { id: 1001, attachments: [] },
        { id: 1002, attachments: [{ id: 502, file_type: 'file', data_url: `${o}/blobs/menu-fresh.pdf` }] },
      ],
    }),
  });
  chatwoot.routes.set('/blobs/menu-fresh.pdf', {
    status: 200,
    headers: { 'content-type': 'application/pdf' },
    body: PDF,
  });
  chatwoot.routes.set('/blobs/page.png', {
    status: 200,
    headers: { 'content-type': 'image/png' },
    body: '<html><script>alert(1)</script></html>',
  });
  const config = switchboardConfigSchema.parse({
    analytics: {
      accounts: [
        { accountId: 1, apiToken: TOKEN_1 },
        { accountId: 2, apiToken: TOKEN_2 },
      ],
    },
    chatwoot: {
      accounts: [
        { id: 1, baseUrl: o, bot: { id: 9, accessToken: 'bot-token' }, userAccessToken: 'user-token-1' },
        { id: 2, baseUrl: o, bot: { id: 9, accessToken: 'bot-token-2' } },
      ],
    },
    media: { fetch: { allowPrivateAddresses: true } },
  });
  ch = await createTestClickHouse();
  await insertEvents(ch, [
    inboundMessage(1, 7, 1001, '2026-12-01T10:00:00Z', [
      {
        type: 'image',
        attachmentId: 501,
        sizeBytes: 23,
        contentType: 'image/png',
        fileName: 'photo.png',
        dataUrl: `${o}/blobs/photo.png`,
        thumbUrl: `${o}/thumbs/photo.png`,
      },
      { type: 'audio', attachmentId: 503, sizeBytes: 64, dataUrl: `${o}/blobs/note.ogg` },
    ]),
    readingEvent(1, 7, 1001, '2026-12-01T10:00:02Z', {
      kind: 'vision',
      method: 'ocr',
      model: 'tesseract',
      text: 'OPEN 9-5',
      costUsd: '0',
    }),
    readingEvent(1, 7, 1001, '2026-12-01T10:00:03Z', {
      kind: 'transcription',
      model: 'gpt-4o-mini-transcribe',
      text: 'Do you deliver to Clifton?',
      costUsd: '0.0006',
    }),
    inboundMessage(1, 7, 1002, '2026-12-01T10:05:00Z', [
      { type: 'file', attachmentId: 502, fileName: 'menu.pdf', dataUrl: `${o}/blobs/menu-expired.pdf` },
    ]),
    readingEvent(1, 7, 1002, '2026-12-01T10:05:01Z', {
      kind: 'vision',
      method: 'pdf_text',
      model: 'pdf-parse',
      text: 'Menu: soup 4.50',
      costUsd: '0',
    }),
    inboundMessage(1, 7, 1003, '2026-12-01T10:06:00Z', [
      { type: 'location', fileName: 'Clifton', latitude: 51.4545, longitude: -2.6186 },
    ]),
    inboundMessage(1, 7, 1004, '2026-12-01T10:07:00Z', [
      { type: 'image', dataUrl: `${o}/blobs/page.png`, contentType: 'image/png' },
    ]),
    // Another account's conversation with the same number.
    inboundMessage(2, 7, 2001, '2026-12-01T11:00:00Z', [{ type: 'image', dataUrl: `${o}/blobs/photo.png` }]),
  ]);
  app = buildAnalyticsServe({
    config,
    clickhouse: ch,
    logger: createLogger({ level: 'silent', format: 'json' }),
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await ch?.drop();
  await chatwoot?.close();
});

const list = (query = '', headers: Record<string, string> = auth1) =>
  app.inject({ url: `/api/conversations/7/attachments${query}`, headers });

describe('GET /api/conversations/:id/attachments', () => {
  it('lists every inbound attachment with what was read from it, by which model, at what cost', async () => {
    const res = await list();
    expect(res.statusCode).toBe(200);
    const { attachments } = res.json();
    expect(attachments.map((a: { key: string; kind: string }) => `${a.key}:${a.kind}`)).toEqual([
      '1001-0:image',
      '1001-1:audio',
      '1002-0:document',
      '1003-0:location',
      '1004-0:image',
    ]);
    const [image, audio, pdf, location] = attachments;
    expect(image).toMatchObject({
      attachmentId: 501,
      messageId: 1001,
      conversationId: 7,
      sizeBytes: 23,
      fileType: 'image',
      dataUrl: expect.stringMatching(/\/blobs\/photo\.png$/),
      mediaPath: 'conversations/7/attachments/1001/0/media',
      thumbnailPath: 'conversations/7/attachments/1001/0/media?variant=thumb',
      reading: { kind: 'vision', method: 'ocr', model: 'tesseract', text: 'OPEN 9-5', costUsd: '0' },
    });
    expect(image.at).toBe('2026-12-01T10:00:00.000Z');
    expect(audio.reading).toMatchObject({
      kind: 'transcription',
      model: 'gpt-4o-mini-transcribe',
      text: 'Do you deliver to Clifton?',
      costUsd: '0.0006',
    });
    expect(pdf.reading).toMatchObject({ method: 'pdf_text', text: 'Menu: soup 4.50' });
    expect(location).toMatchObject({ mediaPath: null, location: { latitude: 51.4545, longitude: -2.6186 } });
  });

  it('filters by type: one kind, or several separated by commas', async () => {
    const audio = (await list('?type=audio')).json().attachments;
    expect(audio.map((a: { key: string }) => a.key)).toEqual(['1001-1']);
    const some = (await list('?type=document,location')).json().attachments;
    expect(some.map((a: { key: string }) => a.key)).toEqual(['1002-0', '1003-0']);
    // The reading still goes to the right attachment when the filter leaves others out.
    expect((await list('?type=audio')).json().attachments[0].reading.text).toBe('Do you deliver to Clifton?');
  });

  it('401 without a valid token, 403 for another account named in the query', async () => {
    expect((await list('', {})).statusCode).toBe(401);
    expect((await list('', { authorization: 'Bearer wrong-token-0123456789' })).statusCode).toBe(401);
    expect((await list('?account=2')).statusCode).toBe(403);
  });

  it("another account's token sees only its own conversation 7, never account 1's media", async () => {
    const other = (await list('', auth2)).json().attachments;
    expect(other.map((a: { key: string }) => a.key)).toEqual(['2001-0']);
    const media = await app.inject({ url: '/api/conversations/7/attachments/1001/0/media', headers: auth2 });
    expect(media.statusCode).toBe(404);
    expect(media.body).not.toContain('IHDR');
  });

  it.each([
    ['?type=pdf', /^type/],
    ['?type=', /^type/],
    ['?type=image,,audio', /^type/],
    ['?kind=image', /^$/],
  ])('400 for %s', async (query, path) => {
    const res = await list(query);
    expect(res.statusCode).toBe(400);
    expect(res.json().issues[0].path).toMatch(path);
  });

  it.each([
    '/api/conversations/abc/attachments',
    '/api/conversations/0/attachments',
    '/api/conversations/7/attachments/1001/-1/media',
    '/api/conversations/7/attachments/1001/0/media?variant=big',
  ])('400 for %s', async (url) => {
    expect((await app.inject({ url, headers: auth1 })).statusCode).toBe(400);
  });
});

describe('GET …/attachments/:messageId/:position/media', () => {
  it('serves an image, its thumbnail (through a redirect) and audio, typed, sandboxed and nosniff', async () => {
    const image = await app.inject({ url: '/api/conversations/7/attachments/1001/0/media', headers: auth1 });
    expect(image.statusCode).toBe(200);
    expect(image.rawPayload.equals(PNG)).toBe(true);
    expect(image.headers).toMatchObject({
      'content-type': 'image/png',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'content-disposition': 'inline; filename="photo.png"',
    });
    const thumb = await app.inject({
      url: `/api/conversations/7/attachments/1001/0/media?variant=thumb&token=${TOKEN_1}`,
    });
    expect(thumb.statusCode).toBe(200);
    const audio = await app.inject({ url: '/api/conversations/7/attachments/1001/1/media', headers: auth1 });
    expect(audio.headers['content-type']).toBe('audio/ogg');
    expect(audio.rawPayload.equals(OGG)).toBe(true);
  });

  it("an expired link (403) is re-read through Chatwoot's messages API with the user token", async () => {
    chatwoot.requests.length = 0;
    const pdf = await app.inject({ url: '/api/conversations/7/attachments/1002/0/media', headers: auth1 });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.equals(PDF)).toBe(true);
    expect(chatwoot.requests).toEqual([
      { path: '/blobs/menu-expired.pdf', token: undefined },
      { path: '/api/v1/accounts/1/conversations/7/messages?before=1003', token: 'user-token-1' },
      { path: '/blobs/menu-fresh.pdf', token: undefined },
    ]);
  });

  it('HTML declared as image/png is refused (415), a location has nothing to serve (404)', async () => {
    const html = await app.inject({ url: '/api/conversations/7/attachments/1004/0/media', headers: auth1 });
    expect(html.statusCode).toBe(415);
    expect(html.json()).toEqual({ error: 'the attachment could not be served', reason: 'type_mismatch' });
    expect(html.body).not.toContain('script');
    const location = await app.inject({
      url: '/api/conversations/7/attachments/1003/0/media',
      headers: auth1,
    });
    expect(location.statusCode).toBe(404);
    const missing = await app.inject({
      url: '/api/conversations/7/attachments/1001/5/media',
      headers: auth1,
    });
    expect(missing.statusCode).toBe(404);
  });
});

describe('messages export: media links', () => {
  it("each inbound message's Chatwoot URLs and proxy paths, in attachment order, account-scoped", async () => {
    const res = await app.inject({
      url: '/api/export/messages?from=2026-12-01&to=2026-12-02&format=ndjson',
      headers: auth1,
    });
    expect(res.statusCode).toBe(200);
    const rows = res.body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, string | number>);
    const byMessage = Object.fromEntries(rows.map((r) => [Number(r.message_id), r]));
    const o = chatwoot.origin;
    expect(byMessage[1001]).toMatchObject({
      attachment_types: 'image|audio',
      attachment_urls: `${o}/blobs/photo.png|${o}/blobs/note.ogg`,
      attachment_media_paths:
        '/api/conversations/7/attachments/1001/0/media|/api/conversations/7/attachments/1001/1/media',
    });
    expect(byMessage[1002]).toMatchObject({
      attachment_media_paths: '/api/conversations/7/attachments/1002/0/media',
    });
    // A location has no bytes to proxy.
    expect(byMessage[1003]).toMatchObject({ attachment_types: 'location', attachment_media_paths: '' });
    expect(byMessage[2001]).toBeUndefined();
    // The path in the export is the one the proxy serves.
    const served = await app.inject({
      url: String(byMessage[1001]!.attachment_media_paths).split('|')[1]!,
      headers: auth1,
    });
    expect(served.headers['content-type']).toBe('audio/ogg');
  });

  it('the CSV has the two link columns after attachment_types', async () => {
    const res = await app.inject({
      url: '/api/export/messages?from=2026-12-01&to=2026-12-02',
      headers: auth1,
    });
    const header = res.body.split('\n')[0]!;
    expect(header).toContain('attachments,attachment_types,attachment_urls,attachment_media_paths,template');
    expect(res.body).toContain(`${chatwoot.origin}/blobs/photo.png|${chatwoot.origin}/blobs/note.ogg`);
  });
});
