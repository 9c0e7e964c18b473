import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, switchboardConfigSchema, type SwitchboardConfigInput } from '@switchboard/core';
import type { TurnContext, TurnReply } from '../../src/responder/responder.js';
import { BOT_WORDING } from '../../src/language/bot-wording.js';
import { startAgentBot } from '../../src/start-agent-bot.js';
import { installMedia } from '../../src/media/index.js';
import { makeVoiceNote } from '../../src/media/testing/make-voice-note.js';
import { botMessages, startHarness, TEST_TUNING, type Harness } from '../harness.js';

/**
 * Issue 21, "nothing lost around handoff and hand-back", through the simulator: what a customer
 * sent while a human owned the conversation (text or voice) is the bot's after the hand-back;
 * it answers it when it can, asks to type a voice note it cannot hear, and passes on what it
 * cannot answer, in the customer's language (the assistant here is Portuguese, the customer
 * writes English).
 */
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
afterAll(() => {
  nock.enableNetConnect();
});

/** First turn: hand off. Later: `after` (what the assistant does with the backlog). */
function handOffThen(after: (context: TurnContext) => TurnReply) {
  return (context: TurnContext, call: number): TurnReply =>
    call === 1
      ? { messages: [], handoff: { reason: 'model_tool', summary: 'Wants a person.' } }
      : after(context);
}

async function start(media: SwitchboardConfigInput['media']) {
  harness = await startHarness({ noBot: true, assistant: { language: 'pt-BR' } });
  const h = harness;
  const config = switchboardConfigSchema.parse({
    ...h.config,
    media: { fetch: { allowPrivateAddresses: true }, ...media },
  });
  const logger = createLogger({ level: 'warn', format: 'json', name: 'hand-back-media' });
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
  return h;
}

const customer = (h: Harness) => ({ inboxId: h.inboxId, phone: '+447700900123', name: 'Tom' });
const told = (h: Harness, displayId: number) =>
  botMessages(h, displayId)
    .filter((m) => !m.private)
    .map((m) => m.content);

/** The customer asks for help, the bot hands off, the conversation is the human's. */
async function handedOff(
  h: Harness,
): Promise<{ displayId: number; ref: { accountId: number; displayId: number } }> {
  const first = h.sim.customer.sendText(customer(h), 'I need help with my delivery, please.');
  const ref = { accountId: h.accountId, displayId: first.conversation.displayId };
  await h.sim.waitFor(() => h.sim.conversation(ref).status === 'open', { timeoutMs: 15_000 });
  return { displayId: ref.displayId, ref };
}

describe('messages sent while a human owns the conversation, at hand-back', () => {
  it('a voice note is transcribed and answered after the hand-back (not before)', async () => {
    const h = await start({
      transcription: { provider: 'openai', model: 'gpt-4o-mini-transcribe', apiKey: 'sk-test' },
    });
    h.responder.setScript(
      handOffThen((context) => {
        const heard = context.pending.map((entry) => entry.enrichment ?? entry.text).join(' ');
        const address = /to (\d+ [A-Z][a-z]+ Street)/.exec(heard)?.[1];
        return { messages: [{ kind: 'text', text: address ? `Done: ${address}.` : `re: ${heard}` }] };
      }),
    );
    const { displayId, ref } = await handedOff(h);
    expect(told(h, displayId)).toEqual([`${BOT_WORDING.en.handingOff} ${BOT_WORDING.en.replySoon}`]);

    h.sim.customer.sendVoiceNote(customer(h), voice);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // The human's: no transcription, no answer yet.
    expect(told(h, displayId)).toHaveLength(1);
    expect(h.responder.calls).toHaveLength(1);

    nock(OPENAI)
      .post('/v1/audio/transcriptions')
      .reply(200, fixture('transcription/__fixtures__/openai-transcribe-json.json'));
    h.sim.agent.toggleStatus(h.agentId, ref, 'pending');
    await h.sim.waitFor(() => told(h, displayId).length === 2, { timeoutMs: 20_000 });
    expect(told(h, displayId)[1]).toBe('Done: 42 Baker Street.');
  });

  it('a voice note that cannot be heard gets the request to type, in the customer’s language', async () => {
    const h = await start({ transcription: { provider: 'none' } });
    h.responder.setScript(handOffThen(() => ({ messages: [{ kind: 'text', text: 'unexpected' }] })));
    const { displayId, ref } = await handedOff(h);
    h.sim.customer.sendVoiceNote(customer(h), voice);
    await new Promise((resolve) => setTimeout(resolve, 800));
    h.sim.agent.toggleStatus(h.agentId, ref, 'pending');
    await h.sim.waitFor(() => told(h, displayId).length === 2, { timeoutMs: 20_000 });
    expect(told(h, displayId)[1]).toBe(BOT_WORDING.en.askToType);
    expect(h.responder.calls).toHaveLength(1);
  });

  it('a question the bot cannot answer is passed on to the human again, and said so', async () => {
    const h = await start({ transcription: { provider: 'none' } });
    h.responder.setScript(
      handOffThen(() => ({
        messages: [],
        handoff: { reason: 'other', summary: 'No passage answers the warranty question.' },
      })),
    );
    const { displayId, ref } = await handedOff(h);
    h.sim.agent.reply(h.agentId, ref, 'Hi Tom, this is Ana. Your parcel is on its way.');
    h.sim.customer.sendText(customer(h), 'Thanks. And does the warranty cover a cracked frame?');
    await new Promise((resolve) => setTimeout(resolve, 800));
    h.sim.agent.toggleStatus(h.agentId, ref, 'pending');
    await h.sim.waitFor(() => told(h, displayId).length === 2, { timeoutMs: 20_000 });
    expect(told(h, displayId)[1]).toBe(BOT_WORDING.en.passingOn);
    await h.sim.waitFor(() => h.sim.conversation(ref).status === 'open', { timeoutMs: 10_000 });
    const notes = botMessages(h, displayId).filter((m) => m.private);
    expect(notes.at(-1)!.content).toContain('Customer wrote:');
    expect(notes.at(-1)!.content).toContain('does the warranty cover a cracked frame?');
  });
});
