import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, switchboardConfigSchema } from '@switchboard/core';
import { createTestClickHouse, type TestClickHouse } from '@switchboard/core/testing';
import { buildAnalyticsService, createShipper } from '@switchboard/analytics';
import type { TurnContext } from '../../agent-bot/src/responder/responder.js';
import { startAgentBot } from '../../agent-bot/src/start-agent-bot.js';
import { installMedia } from '../../agent-bot/src/media/index.js';
import { makeVoiceNote } from '../../agent-bot/src/media/testing/make-voice-note.js';
import { makePdf } from '../../agent-bot/src/media/testing/make-pdf.js';
import { renderTextImage } from '../../agent-bot/src/media/testing/render-text-image.js';
import { terminateOcrWorkers } from '../../agent-bot/src/media/vision/ocr.js';
import { startHarness, TEST_TUNING, type Harness } from '../../agent-bot/test/harness.js';

/**
 * The attachments gallery end to end: a customer sends an image, a voice note, a PDF and a
 * location through the simulator; the webhook's message events (with Chatwoot's attachment ids
 * and URLs) and the media events (what was read, by which model, at what cost) go through the
 * outbox and the shipper to ClickHouse; the analytics API lists them, serves their bytes from
 * the simulator's ActiveStorage through the proxy, and the messages export links them.
 */
const TOKEN = 'token-account-one-0123456789abcdef';
const OTHER_TOKEN = 'token-account-two-0123456789abcdef';
const fixture = (path: string): nock.Body =>
  JSON.parse(
    readFileSync(new URL(`../../agent-bot/src/media/${path}`, import.meta.url), 'utf8'),
  ) as nock.Body;

let h: Harness;
let ch: TestClickHouse;
let closeBot: () => Promise<void>;
let voice: Buffer;

beforeAll(async () => {
  voice = await makeVoiceNote('Hello, I would like to change my delivery address to 42 Baker Street.');
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  ch = await createTestClickHouse();
  h = await startHarness({ noBot: true });
  h.responder.setScript((context: TurnContext) => ({
    messages: [{ kind: 'text' as const, text: `Got it (${context.pending.length})` }],
  }));
  const config = switchboardConfigSchema.parse({
    ...h.config,
    media: {
      fetch: { allowPrivateAddresses: true },
      vision: { use: 'ocr' },
      transcription: { provider: 'openai', model: 'gpt-4o-mini-transcribe', apiKey: 'sk-test' },
    },
  });
  const logger = createLogger({ level: 'warn', format: 'json', name: 'gallery-e2e' });
  const installed = installMedia({ config, logger, responder: h.responder });
  const bot = await startAgentBot({
    config,
    db: h.db,
    logger,
    responder: installed.responder,
    enrichers: [installed.enricher],
    clock: h.sim.clock,
    tuning: TEST_TUNING,
  });
  closeBot = () => bot.close();
  h.connect(bot.url);
}, 120_000);
afterAll(async () => {
  await closeBot?.();
  await h?.close();
  await ch?.close();
  nock.cleanAll();
  nock.enableNetConnect();
  await terminateOcrWorkers();
});

describe('attachments gallery through the simulator', () => {
  it('webhook → events → ClickHouse → API, proxy and export', async () => {
    nock('https://api.openai.com')
      .post('/v1/audio/transcriptions')
      .reply(200, fixture('transcription/__fixtures__/openai-transcribe-json.json'));
    const maria = { inboxId: h.inboxId, phone: '+447911123456', name: 'Maria' };
    const image = await renderTextImage(['CLIFTON BAKERY', 'Order #48213', 'TOTAL GBP 7.40']);
    const first = h.sim.customer.sendImage(maria, image, { contentType: 'image/png' });
    const displayId = first.conversation.displayId;
    const answers = () =>
      h.sim
        .messages({ accountId: h.accountId, displayId })
        .filter((m) => m.messageType === 'outgoing' && !m.private);
    await h.sim.waitFor(() => answers().length >= 1, { timeoutMs: 30_000 });
    const note = h.sim.customer.sendVoiceNote(maria, voice);
    await h.sim.waitFor(() => answers().length >= 2, { timeoutMs: 30_000 });
    const pdf = makePdf([['INVOICE 1042', 'Sourdough x 2', 'Total GBP 7.40']]);
    const doc = h.sim.customer.sendDocument(maria, pdf, {
      fileName: 'invoice.pdf',
      contentType: 'application/pdf',
    });
    await h.sim.waitFor(() => answers().length >= 3, { timeoutMs: 30_000 });
    const place = h.sim.customer.sendLocation(maria, {
      latitude: 51.4549,
      longitude: -2.6278,
      name: 'Clifton',
    });
    const pool = h.db.pool;
    for (let i = 0; i < 100; i++) {
      const rows = await pool.query(
        `SELECT event_type FROM analytics_outbox WHERE event_type IN ('vision', 'transcription')`,
      );
      const messages = await pool.query(
        `SELECT 1 FROM analytics_outbox WHERE event_type = 'message' AND (event->'payload'->>'messageId')::bigint = $1`,
        [place.message.id],
      );
      if (rows.rows.length >= 3 && messages.rows.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const config = switchboardConfigSchema.parse({
      ...h.config,
      media: { fetch: { allowPrivateAddresses: true } },
      analytics: {
        ...h.config.analytics,
        accounts: [
          { accountId: h.accountId, apiToken: TOKEN },
          { accountId: h.accountId + 1000, apiToken: OTHER_TOKEN },
        ],
      },
    });
    const logger = createLogger({ level: 'silent' });
    const shipper = createShipper({ db: h.db, clickhouse: ch, logger, options: config.analytics.shipper });
    while ((await shipper.shipOnce()).batchId !== null);
    const app = buildAnalyticsService({ config, logger, db: h.db, clickhouse: ch, startShipper: false });
    try {
      await app.ready();
      const headers = { authorization: `Bearer ${TOKEN}` };
      const res = await app.inject({ url: `/api/conversations/${displayId}/attachments`, headers });
      expect(res.statusCode).toBe(200);
      const list = res.json().attachments as {
        messageId: number;
        kind: string;
        attachmentId: number;
        dataUrl: string;
        sizeBytes: number;
        mediaPath: string | null;
        location: unknown;
        reading: { method: string; model: string; text: string; costUsd: string } | null;
      }[];
      expect(list.map((a) => [a.messageId, a.kind])).toEqual([
        [first.message.id, 'image'],
        [note.message.id, 'audio'],
        [doc.message.id, 'document'],
        [place.message.id, 'location'],
      ]);
      const [img, audio, document, location] = list;
      expect(img!.attachmentId).toBeGreaterThan(0);
      expect(img!.dataUrl).toContain('/rails/active_storage/blobs/redirect/');
      expect(img!.sizeBytes).toBe(image.length);
      expect(img!.reading).toMatchObject({ method: 'ocr', costUsd: '0' });
      expect(img!.reading!.text).toContain('48213');
      expect(audio!.reading).toMatchObject({
        method: 'transcription',
        model: 'gpt-4o-mini-transcribe',
        costUsd: '0.000332',
      });
      expect(audio!.reading!.text).toContain('Baker Street');
      expect(document!.reading).toMatchObject({ method: 'pdf_text' });
      expect(document!.reading!.text).toContain('INVOICE 1042');
      expect(location).toMatchObject({
        mediaPath: null,
        location: { latitude: 51.4549, longitude: -2.6278 },
      });

      // The bytes, from the simulator's ActiveStorage redirect, through the proxy.
      const served = await app.inject({ url: `/api/${audio!.mediaPath}`, headers });
      expect(served.statusCode).toBe(200);
      expect(served.headers['content-type']).toBe('audio/ogg');
      expect(served.rawPayload.equals(voice)).toBe(true);
      const picture = await app.inject({ url: `/api/${img!.mediaPath}`, headers });
      expect(picture.rawPayload.equals(image)).toBe(true);

      // The filter, and another account's token.
      const audioOnly = (
        await app.inject({ url: `/api/conversations/${displayId}/attachments?type=audio`, headers })
      ).json().attachments;
      expect(audioOnly).toHaveLength(1);
      const other = { authorization: `Bearer ${OTHER_TOKEN}` };
      expect(
        (await app.inject({ url: `/api/conversations/${displayId}/attachments`, headers: other })).json()
          .attachments,
      ).toEqual([]);
      expect((await app.inject({ url: `/api/${audio!.mediaPath}`, headers: other })).statusCode).toBe(404);

      // The messages export links each attachment.
      const day = (offset: number) =>
        new Date(h.sim.clock.nowMs() + offset * 86_400_000).toISOString().slice(0, 10);
      const exported = await app.inject({
        url: `/api/export/messages?from=${day(-1)}&to=${day(1)}&format=ndjson`,
        headers,
      });
      const rows = exported.body
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      const voiceRow = rows.find((r) => Number(r.message_id) === note.message.id)!;
      expect(voiceRow.attachment_urls).toBe(audio!.dataUrl);
      expect(voiceRow.attachment_media_paths).toBe(`/api/${audio!.mediaPath}`);
    } finally {
      await app.close();
    }
  }, 150_000);
});
