import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, switchboardConfigSchema, type SwitchboardConfig } from '@switchboard/core';
import {
  createTestClickHouse,
  createTestDatabase,
  type TestClickHouse,
  type TestDatabase,
} from '@switchboard/core/testing';
import { buildAnalyticsService, createShipper } from '@switchboard/analytics';
import {
  composeAgentBot,
  ScriptedLanguageModel,
  startAgentBot,
  type RunningAgentBot,
} from '@switchboard/agent-bot';
import { renderTextImage } from '@switchboard/agent-bot/media/testing/render-text-image';
import { createChatwootSimulator, type ChatwootSimulator, type InboxRecord } from '@switchboard/simulator';

/**
 * The attachments gallery end to end, the agent-bot composed as in production: a customer sends
 * an image, a voice note, a PDF and a location through the simulator; the webhook's message
 * events (with Chatwoot's attachment ids and URLs) and the media events (what was read, by which
 * model, at what cost) go through the outbox and the shipper to ClickHouse; the analytics API
 * lists them, serves their bytes from the simulator's ActiveStorage through the proxy, and the
 * messages export links them.
 */
const TOKEN = 'token-account-one-0123456789abcdef';
const OTHER_TOKEN = 'token-account-two-0123456789abcdef';
const DESCRIPTION = 'A till receipt from Clifton Bakery, order 48213, total GBP 7.40.';
const run = promisify(execFile);

/** A short OGG/Opus tone, as WhatsApp records voice notes (ffmpeg, a Debian package the tests use). */
async function voiceNote(): Promise<Buffer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gallery-voice-'));
  try {
    const file = path.join(dir, 'voice.ogg');
    await run('ffmpeg', [
      '-nostdin',
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:duration=2',
      '-ac',
      '1',
      '-ar',
      '48000',
      '-c:a',
      'libopus',
      '-b:a',
      '16k',
      file,
    ]);
    return await readFile(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A one-page PDF with a text line per entry (a correct xref table, so pdf-parse reads it). */
function onePagePdf(lines: string[]): Buffer {
  const stream = `BT /F1 14 Tf 50 780 Td 18 TL ${lines.map((l) => `(${l}) Tj T*`).join(' ')} ET`;
  const objects = [
    '',
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [4 0 R] /Count 1 >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = Buffer.byteLength(body, 'latin1');
    body += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) body += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

let db: TestDatabase;
let ch: TestClickHouse;
let sim: ChatwootSimulator;
let bot: RunningAgentBot;
let inbox: InboxRecord;
let accountId: number;
let config: SwitchboardConfig;
let voice: Buffer;

beforeAll(async () => {
  voice = await voiceNote();
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  db = await createTestDatabase();
  ch = await createTestClickHouse();
  sim = await createChatwootSimulator({ behaviour: { webhookRetryDelayMs: 50 } });
  const account = sim.seed.account({ name: 'Clifton Bakery' });
  accountId = account.id;
  inbox = sim.seed.inbox({ accountId, name: 'WhatsApp', channel: 'whatsapp' });
  const simBot = sim.seed.agentBot({ accountId, outgoingUrl: 'http://127.0.0.1:9/unset' });
  sim.seed.connectAgentBot(inbox.id, simBot.id);
  const agent = sim.seed.user({ accountId, name: 'Alex' });
  config = switchboardConfigSchema.parse({
    logging: { level: 'warn', format: 'json' },
    chatwoot: {
      accounts: [
        {
          id: accountId,
          baseUrl: sim.url,
          bot: { id: simBot.id, accessToken: simBot.accessToken, webhookSecret: simBot.secret },
          userAccessToken: agent.accessToken,
          inboxes: [{ id: inbox.id, assistant: 'bakery', channel: 'whatsapp' }],
        },
      ],
      requestTimeoutMs: 2000,
      maxRetries: 2,
    },
    assistants: {
      bakery: {
        name: 'Bakery',
        systemPrompt: 'Be helpful.',
        model: { provider: 'openai', model: 'gpt-4o-mini', apiKey: 'sk-test' },
        conversation: { burstQuietMs: 200, burstMaxWaitMs: 2000 },
      },
    },
    media: {
      fetch: { allowPrivateAddresses: true },
      vision: { use: 'assistant' },
      transcription: { provider: 'openai', model: 'gpt-4o-mini-transcribe', apiKey: 'sk-test' },
    },
    analytics: {
      accounts: [
        { accountId, apiToken: TOKEN },
        { accountId: accountId + 1000, apiToken: OTHER_TOKEN },
      ],
    },
  });
  const logger = createLogger({ level: 'warn', format: 'json', name: 'gallery-e2e' });
  // The assistant's model (replies and image descriptions), scripted: the same answer for both.
  const model = new ScriptedLanguageModel({
    provider: 'openai',
    modelId: 'gpt-4o-mini',
    steps: [{ text: DESCRIPTION }],
  });
  const composed = composeAgentBot({ config, db, logger, modelFactory: () => model });
  bot = await startAgentBot({
    config,
    db,
    logger,
    responder: composed.responder,
    enrichers: composed.enrichers,
    clock: sim.clock,
    tuning: {
      laneLeaseMs: 2000,
      sweepIntervalMs: 500,
      pollIntervalMs: 100,
      echoWaitMs: 300,
      newMessagePollMs: 100,
    },
  });
  sim.store.agentBots.get(simBot.id)!.outgoingUrl = `${bot.url}/webhooks/chatwoot`;
}, 120_000);
afterAll(async () => {
  await bot?.close();
  await sim?.close();
  await db?.drop();
  await ch?.close();
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('attachments gallery through the simulator', () => {
  it('webhook → events → ClickHouse → API, proxy and export', async () => {
    nock('https://api.openai.com')
      .post('/v1/audio/transcriptions')
      .reply(200, {
        text: 'Hello, I would like to change my delivery address to 42 Baker Street.',
        usage: {
          type: 'tokens',
          input_tokens: 79,
          input_token_details: { text_tokens: 0, audio_tokens: 79 },
          output_tokens: 19,
          total_tokens: 98,
        },
      });
    const maria = { inboxId: inbox.id, phone: '+447911123456', name: 'Maria' };
    const image = await renderTextImage(['CLIFTON BAKERY', 'Order #48213', 'TOTAL GBP 7.40']);
    const first = sim.customer.sendImage(maria, image, { contentType: 'image/png' });
    const displayId = first.conversation.displayId;
    const answers = () =>
      sim.messages({ accountId, displayId }).filter((m) => m.messageType === 'outgoing' && !m.private);
    await sim.waitFor(() => answers().length >= 1, { timeoutMs: 30_000 });
    const note = sim.customer.sendVoiceNote(maria, voice);
    await sim.waitFor(() => answers().length >= 2, { timeoutMs: 30_000 });
    const pdf = onePagePdf(['INVOICE 1042', 'Sourdough x 2', 'Total GBP 7.40']);
    const doc = sim.customer.sendDocument(maria, pdf, {
      fileName: 'invoice.pdf',
      contentType: 'application/pdf',
    });
    await sim.waitFor(() => answers().length >= 3, { timeoutMs: 30_000 });
    const place = sim.customer.sendLocation(maria, {
      latitude: 51.4549,
      longitude: -2.6278,
      name: 'Clifton',
    });
    const pool = db.pool;
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
    // Every webhook delivered first: a later message_updated rewrites the message's event.
    await sim.waitForIdle();
    // The PDF's stored link has expired (a signed id past its expiry: ActiveStorage answers 404);
    // the proxy must get a fresh one from the simulator's messages API. (ch_row NULL: the shipper
    // then renders the row from the edited event, analytics/src/shipper/outbox-store.ts.)
    const expired = `${sim.url}/rails/active_storage/blobs/redirect/expired-signed-id/invoice.pdf`;
    await pool.query(
      `UPDATE analytics_outbox SET event = jsonb_set(event, '{payload,attachments,0,dataUrl}', to_jsonb($2::text)), ch_row = NULL
        WHERE event_type = 'message' AND (event->'payload'->>'messageId')::bigint = $1`,
      [doc.message.id, expired],
    );
    const logger = createLogger({ level: 'silent' });
    const shipper = createShipper({ db, clickhouse: ch, logger, options: config.analytics.shipper });
    while ((await shipper.shipOnce()).batchId !== null);
    const app = buildAnalyticsService({ config, logger, db, clickhouse: ch, startShipper: false });
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
      // Described by the assistant's own model (it accepts images).
      expect(img!.reading).toMatchObject({ method: 'vision', model: 'gpt-4o-mini', text: DESCRIPTION });
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
      expect(document!.dataUrl).toBe(expired);
      const refreshed = await app.inject({ url: `/api/${document!.mediaPath}`, headers });
      expect(refreshed.statusCode).toBe(200);
      expect(refreshed.headers['content-type']).toBe('application/pdf');
      expect(refreshed.rawPayload.equals(pdf)).toBe(true);

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
        new Date(sim.clock.nowMs() + offset * 86_400_000).toISOString().slice(0, 10);
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
