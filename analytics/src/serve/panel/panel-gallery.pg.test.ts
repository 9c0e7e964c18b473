import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { createLogger, REPO_ROOT, switchboardConfigSchema } from '@switchboard/core';
import { createTestClickHouse, type TestClickHouse } from '@switchboard/core/testing';
import { buildAnalyticsServe } from '../build-serve.js';
import { insertEvents } from '../../testing/seed-dataset.js';
import {
  bandedPng,
  inboundMessage,
  OGG,
  PDF,
  readingEvent,
  startFakeChatwoot,
} from '../../testing/attachment-fixtures.js';

const TOKEN = 'gallery-token-account-one-0123456789';
const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts', 'insight-panel');
const PHOTO = bandedPng(240, 160, [
  [220, 38, 38],
  [250, 204, 21],
  [37, 99, 235],
]);

let ch: TestClickHouse;
let app: FastifyInstance;
let store: Awaited<ReturnType<typeof startFakeChatwoot>>;
let frameHost: http.Server;
let browser: Browser;
let hostOrigin: string;

beforeAll(async () => {
  store = await startFakeChatwoot();
  const o = store.origin;
  store.routes.set('/blobs/receipt.png', {
    status: 200,
    headers: { 'content-type': 'image/png' },
    body: PHOTO,
  });
  store.routes.set('/thumbs/receipt.png', {
    status: 200,
    headers: { 'content-type': 'image/png' },
    body: PHOTO,
  });
  store.routes.set('/blobs/note.ogg', { status: 200, headers: { 'content-type': 'audio/ogg' }, body: OGG });
  store.routes.set('/blobs/clip.mp4', {
    status: 200,
    headers: { 'content-type': 'video/mp4' },
    body: Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypmp42'), Buffer.alloc(16)]),
  });
  store.routes.set('/blobs/invoice.pdf', {
    status: 200,
    headers: { 'content-type': 'application/pdf' },
    body: PDF,
  });
  ch = await createTestClickHouse();
  await insertEvents(ch, [
    inboundMessage(1, 400, 1, '2026-12-01T09:00:00Z', [
      {
        type: 'image',
        sizeBytes: PHOTO.length,
        fileName: 'receipt.png',
        dataUrl: `${o}/blobs/receipt.png`,
        thumbUrl: `${o}/thumbs/receipt.png`,
      },
    ]),
    readingEvent(1, 400, 1, '2026-12-01T09:00:02Z', {
      kind: 'vision',
      method: 'vision',
      model: 'gpt-4.1-mini',
      text: 'A till receipt from Clifton Bakery: 2 × sourdough, total £7.40, paid by card.',
      costUsd: '0.00041',
    }),
    inboundMessage(1, 400, 2, '2026-12-01T09:01:00Z', [
      { type: 'audio', sizeBytes: 64, dataUrl: `${o}/blobs/note.ogg` },
    ]),
    readingEvent(1, 400, 2, '2026-12-01T09:01:03Z', {
      kind: 'transcription',
      model: 'gpt-4o-mini-transcribe',
      text: 'Hi, I was charged twice for <b>this</b> order, can you check?',
      costUsd: '0.0006',
    }),
    inboundMessage(1, 400, 3, '2026-12-01T09:02:00Z', [
      { type: 'video', sizeBytes: 28, dataUrl: `${o}/blobs/clip.mp4` },
    ]),
    inboundMessage(1, 400, 4, '2026-12-01T09:03:00Z', [
      { type: 'file', sizeBytes: PDF.length, fileName: 'invoice.pdf', dataUrl: `${o}/blobs/invoice.pdf` },
    ]),
    readingEvent(1, 400, 4, '2026-12-01T09:03:01Z', {
      kind: 'vision',
      method: 'pdf_text',
      model: 'pdf-parse',
      text: 'INVOICE 1042\nSourdough × 2 … £7.40',
      costUsd: '0',
    }),
    inboundMessage(1, 400, 5, '2026-12-01T09:04:00Z', [
      { type: 'location', fileName: 'Clifton Suspension Bridge', latitude: 51.4549, longitude: -2.6278 },
    ]),
  ]);
  const config = switchboardConfigSchema.parse({
    analytics: { accounts: [{ accountId: 1, apiToken: TOKEN }] },
    chatwoot: { accounts: [{ id: 1, baseUrl: o, bot: { id: 9, accessToken: 'bot-token' } }] },
    media: { fetch: { allowPrivateAddresses: true } },
  });
  app = buildAnalyticsServe({
    config,
    clickhouse: ch,
    logger: createLogger({ level: 'silent', format: 'json' }),
  });
  const panelOrigin = await app.listen({ host: '127.0.0.1', port: 0 });
  // Chatwoot's conversation view: frames the panel and posts the context when asked.
  const context = JSON.stringify({ event: 'appContext', data: { conversation: { id: 400, account_id: 1 } } });
  frameHost = http.createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(`<!doctype html><html><body style="margin:0">
<iframe id="app" src="${panelOrigin}/panel?token=${TOKEN}" width="640" height="1400" style="border:0"></iframe>
<script>
  var frame = document.getElementById('app');
  var context = ${JSON.stringify(context)};
  function push() { frame.contentWindow.postMessage(context, '*'); }
  frame.addEventListener('load', push);
  window.addEventListener('message', function (e) { if (e.data === 'chatwoot-dashboard-app:fetch-info') push(); });
</script></body></html>`);
  });
  await new Promise<void>((resolve) => frameHost.listen(0, '127.0.0.1', resolve));
  hostOrigin = `http://127.0.0.1:${(frameHost.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => frameHost?.close(resolve));
  await app?.close();
  await ch?.drop();
  await store?.close();
});

describe('attachments gallery in the insight panel', () => {
  it('the panel page has the gallery and allows only blob: images and media', async () => {
    const res = await app.inject({ url: '/panel' });
    expect(res.body).toContain(
      '<h2>Attachments</h2><div id="gallery-filters" class="filters"></div><div id="gallery"></div>',
    );
    expect(res.headers['content-security-policy']).toContain('img-src blob:; media-src blob:');
  });

  it('in Chromium: image thumbnail, audio and video players with the transcript, the document with its text, filters', async () => {
    const page = await browser.newPage({ viewport: { width: 660, height: 1400 } });
    await page.goto(hostOrigin);
    const frame = page.frameLocator('#app');
    await frame.locator('.attachment').nth(4).waitFor({ timeout: 20_000 });
    expect(
      await frame
        .locator('.attachment')
        .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-kind'))),
    ).toEqual(['image', 'audio', 'video', 'document', 'location']);
    // The thumbnail is the real image, loaded through the proxy (naturalWidth > 0).
    const image = frame.locator('.attachment[data-kind="image"] img');
    await expect
      .poll(() => image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), {
        timeout: 10_000,
      })
      .toBe(240);
    expect(await image.getAttribute('src')).toMatch(/^blob:/);
    expect(await frame.locator('.attachment[data-kind="image"] .read').innerText()).toContain(
      'Description — gpt-4.1-mini · $0.00041',
    );
    const audio = frame.locator('.attachment[data-kind="audio"]');
    await audio.locator('audio[controls]').waitFor({ timeout: 10_000 });
    const transcript = await audio.locator('.read').innerText();
    expect(transcript).toContain('Transcript — gpt-4o-mini-transcribe · $0.0006');
    expect(transcript).toContain('Hi, I was charged twice for <b>this</b> order, can you check?');
    expect(await audio.locator('b').count()).toBe(0);
    await frame.locator('.attachment[data-kind="video"] video[controls]').waitFor({ timeout: 10_000 });
    const pdf = await frame.locator('.attachment[data-kind="document"]').innerText();
    expect(pdf).toContain('Download invoice.pdf');
    expect(pdf).toContain('Extracted text — pdf-parse');
    expect(pdf).toContain('INVOICE 1042');
    expect(await frame.locator('.attachment[data-kind="location"]').innerText()).toContain(
      '51.45490, -2.62780',
    );
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'attachments-gallery.png'), fullPage: true });

    await frame.locator('#gallery-filters button[data-kind="audio"]').click();
    await expect
      .poll(() =>
        frame.locator('.attachment').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-kind'))),
      )
      .toEqual(['audio']);
    expect(
      await frame.locator('#gallery-filters button[data-kind="audio"]').getAttribute('aria-pressed'),
    ).toBe('true');
    await frame.locator('#gallery-filters button[data-kind="document"]').click();
    await expect.poll(() => frame.locator('.attachment').count()).toBe(1);
    await page.screenshot({
      path: path.join(ARTIFACTS, 'attachments-gallery-documents.png'),
      fullPage: true,
    });
    // The document's button downloads the proxied bytes under the file's name.
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 10_000 }),
      frame.locator('button', { hasText: 'Download invoice.pdf' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('invoice.pdf');
    expect(fs.readFileSync(await download.path()).equals(PDF)).toBe(true);
    await page.close();
  }, 60_000);
});
