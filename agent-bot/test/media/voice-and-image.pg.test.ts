import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, switchboardConfigSchema, type SwitchboardConfigInput } from '@switchboard/core';
import type { TurnContext } from '../../src/responder/responder.js';
import { startAgentBot } from '../../src/start-agent-bot.js';
import { installMedia } from '../../src/media/index.js';
import { makeVoiceNote } from '../../src/media/testing/make-voice-note.js';
import { renderTextImage } from '../../src/media/testing/render-text-image.js';
import { terminateOcrWorkers } from '../../src/media/vision/ocr.js';
import { startHarness, TEST_TUNING, type Harness } from '../harness.js';

const OPENAI = 'https://api.openai.com';
const fixture = (path: string): nock.Body =>
  JSON.parse(readFileSync(new URL(`../../src/media/${path}`, import.meta.url), 'utf8')) as nock.Body;
const SPOKEN = 'Hello, I would like to change my delivery address to 42 Baker Street.';

let voice: Buffer;
let harness: Harness | null = null;
let closeBot: (() => Promise<void>) | null = null;

beforeAll(async () => {
  voice = await makeVoiceNote(SPOKEN);
  nock.disableNetConnect();
  // The simulator, the agent-bot and (on a real server) PostgreSQL are all on loopback.
  nock.enableNetConnect('127.0.0.1');
});
afterEach(async () => {
  await closeBot?.();
  closeBot = null;
  await harness?.close();
  harness = null;
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});
afterAll(async () => {
  nock.enableNetConnect();
  await terminateOcrWorkers();
});

/** "Answers the content": what the model would do with the enrichment it was given. */
function answerFromMedia(context: TurnContext) {
  const heard = context.pending.map((entry) => entry.enrichment ?? entry.text).join(' ');
  const address = /to (\d+ [A-Z][a-z]+ Street)/.exec(heard)?.[1];
  return {
    messages: [
      {
        kind: 'text' as const,
        text: address ? `Done: your delivery address is now ${address}.` : `re: ${heard}`,
      },
    ],
  };
}

async function start(
  media: SwitchboardConfigInput['media'],
  assistant: Record<string, unknown> = {},
  conversation: Record<string, unknown> = {},
) {
  harness = await startHarness({ noBot: true, assistant, conversation });
  const h = harness;
  h.responder.setScript(answerFromMedia);
  const config = switchboardConfigSchema.parse({
    ...h.config,
    media: { fetch: { allowPrivateAddresses: true }, ...media },
  });
  const logger = createLogger({ level: 'warn', format: 'json', name: 'media-e2e' });
  // What composeAgentBot does around the real assistant, here around the scripted one.
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
  const pool = bot.engine.context.db.pool;
  const events = async (type: string) =>
    (
      await pool.query(`SELECT event FROM analytics_outbox WHERE event_type = $1 ORDER BY seq`, [type])
    ).rows.map((row) => row.event as Record<string, unknown>);
  return { h, events };
}

const maria = (h: Harness) => ({ inboxId: h.inboxId, phone: '+5511987654321', name: 'Maria' });

function conversationMessages(h: Harness, displayId: number) {
  return h.sim.messages({ accountId: h.accountId, displayId }).map((m) => ({
    id: m.id,
    type: m.messageType,
    private: m.private,
    content: m.content,
  }));
}

describe('media through the simulator', () => {
  it('voice note in → private note with the transcript → an answer to what was said', async () => {
    const { h, events } = await start({
      transcription: { provider: 'openai', model: 'gpt-4o-mini-transcribe', apiKey: 'sk-test' },
    });
    let uploaded = '';
    nock(OPENAI)
      .post('/v1/audio/transcriptions', (body: string) => {
        uploaded = Buffer.from(body, 'hex').toString('latin1');
        return true;
      })
      .reply(200, fixture('transcription/__fixtures__/openai-transcribe-json.json'));
    const started = Date.now();
    const sent = h.sim.customer.sendVoiceNote(maria(h), voice);
    const displayId = sent.conversation.displayId;
    await h.sim.waitFor(
      () => conversationMessages(h, displayId).some((m) => m.type === 'outgoing' && !m.private),
      {
        timeoutMs: 20_000,
      },
    );
    console.info(`voice note → answer: ${Date.now() - started} ms`);
    const messages = conversationMessages(h, displayId);
    const voiceIndex = messages.findIndex((m) => m.id === sent.message.id);
    const note = messages[voiceIndex + 1]!;
    const answer = messages[voiceIndex + 2]!;
    expect(note.private).toBe(true);
    expect(note.content).toMatch(
      /^🎤 Voice note transcript · gpt-4o-mini-transcribe · \d\.\d s · \$0\.000332\n> Hello, I would like/,
    );
    expect(answer).toMatchObject({
      private: false,
      content: 'Done: your delivery address is now 42 Baker Street.',
    });
    // The bytes OpenAI got are the customer's OGG/Opus, fetched through the ActiveStorage redirect.
    expect(uploaded).toContain('OggS');
    const [transcription] = await events('transcription');
    expect(transcription).toMatchObject({
      costUsd: '0.000332',
      costKind: 'transcription',
      payload: { outcome: 'ok', messageId: sent.message.id },
    });
    const stored = await h.query<{ enrichment: string }>(
      `SELECT enrichment FROM engine_messages WHERE message_id = $1`,
      [sent.message.id],
    );
    expect(stored[0]!.enrichment).toContain(SPOKEN);
  });

  it("uses Chatwoot's own transcript instead of transcribing again, before or after the turn", async () => {
    // A burst window wide enough that the transcript's message_updated lands inside it on a loaded
    // machine too (with the default 300 ms it sometimes came after the turn had begun).
    const { h, events } = await start(
      { transcription: { provider: 'openai', model: 'gpt-4o-mini-transcribe', apiKey: 'sk-test' } },
      {},
      { burstQuietMs: 1500 },
    );
    // Chatwoot (EE) finished transcribing before the burst ended: message_updated with transcribed_text.
    const first = h.sim.customer.sendVoiceNote(maria(h), voice);
    h.sim.transcribe(first.message.id, 'I want to cancel my plan');
    const displayId = first.conversation.displayId;
    const answered = () =>
      conversationMessages(h, displayId).filter((m) => m.type === 'outgoing' && !m.private);
    await h.sim.waitFor(() => answered().length === 1, { timeoutMs: 20_000 });
    expect(answered()[0]!.content).toBe('re: I want to cancel my plan');

    // A voice note we transcribed, whose Chatwoot transcript arrives afterwards: no second call.
    nock(OPENAI)
      .post('/v1/audio/transcriptions')
      .reply(200, fixture('transcription/__fixtures__/openai-transcribe-json.json'));
    const second = h.sim.customer.sendVoiceNote(maria(h), voice);
    await h.sim.waitFor(() => answered().length === 2, { timeoutMs: 20_000 });
    h.sim.transcribe(second.message.id, SPOKEN);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(answered()).toHaveLength(2);
    expect(conversationMessages(h, displayId).filter((m) => m.private)).toHaveLength(1);
    expect(await events('transcription')).toHaveLength(1);
  });

  it('asks the customer to type when no transcription provider is configured', async () => {
    const { h, events } = await start({ transcription: { provider: 'none' } });
    const sent = h.sim.customer.sendVoiceNote(maria(h), voice);
    const displayId = sent.conversation.displayId;
    await h.sim.waitFor(
      () => conversationMessages(h, displayId).some((m) => m.type === 'outgoing' && !m.private),
      {
        timeoutMs: 20_000,
      },
    );
    const outgoing = conversationMessages(h, displayId).filter((m) => m.type === 'outgoing');
    expect(outgoing[0]).toMatchObject({ private: true });
    expect(outgoing[0]!.content).toContain('⚠️ Voice note not transcribed');
    expect(outgoing[1]).toMatchObject({
      private: false,
      content: "Sorry, I couldn't listen to your voice message. Could you type it, please?",
    });
    expect(h.responder.calls).toHaveLength(0);
    expect((await events('transcription'))[0]).toMatchObject({ payload: { outcome: 'skipped' } });
  });

  it('an image: OCR note for agents, the original image handed to a model that accepts images', async () => {
    // The assistant's model accepts images, but vision is set to OCR (offline): no provider call.
    const { h, events } = await start(
      { vision: { use: 'ocr' } },
      { model: { provider: 'openai', model: 'gpt-4o-mini', apiKey: 'sk-test' } },
    );
    const image = await renderTextImage(['BIKE SHOP LISBOA', 'Order #48213', 'TOTAL EUR 31.90']);
    const sent = h.sim.customer.sendImage(maria(h), image, {
      caption: 'my receipt',
      contentType: 'image/png',
    });
    const displayId = sent.conversation.displayId;
    await h.sim.waitFor(
      () => conversationMessages(h, displayId).some((m) => m.type === 'outgoing' && !m.private),
      {
        timeoutMs: 30_000,
      },
    );
    const note = conversationMessages(h, displayId).find((m) => m.private)!;
    expect(note.content).toMatch(/^🖼️ Image text \(OCR\)/);
    expect(note.content).toContain('48213');
    const seen = h.responder.calls[0]!.pending[0]!;
    expect(seen.enrichment).toContain('31.90');
    expect(seen.attachments[0]!.contentType).toBe('image/png');
    expect(Buffer.from(seen.attachments[0]!.data!).equals(image)).toBe(true);
    expect((await events('vision'))[0]).toMatchObject({
      costUsd: '0',
      payload: { method: 'ocr', outcome: 'ok' },
    });
  });
});
