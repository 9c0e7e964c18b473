import nock from 'nock';
import { createLogger } from '@switchboard/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { composeAgentBot } from '../src/compose-agent-bot.js';
import { BOT_WORDING } from '../src/language/bot-wording.js';
import { startAgentBot, type RunningAgentBot } from '../src/start-agent-bot.js';
import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { TEST_TUNING, botMessages, dropTestDatabase, startHarness, type Harness } from './harness.js';

/**
 * Issue 21, "the customer's language everywhere", through the simulator and the real composed
 * assistant: every model is down (OpenAI answers 503), so the bot words the handoff itself. The
 * assistant is Italian with an Italian configured message; each customer hears their own language.
 */
let db: TestDatabase;
let harness: Harness | null = null;
let bot: RunningAgentBot | null = null;
let composed: ReturnType<typeof composeAgentBot> | null = null;

beforeAll(async () => {
  db = await createTestDatabase();
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(async () => {
  await bot?.close();
  await composed?.close();
  await harness?.close();
  bot = null;
  composed = null;
  harness = null;
  nock.cleanAll();
});
afterAll(async () => {
  nock.enableNetConnect();
  if (db) await dropTestDatabase(db);
});

const CUSTOMERS = [
  {
    language: 'en',
    phone: '+447700900123',
    text: 'Hello, where is my order? It should have arrived yesterday.',
  },
  {
    language: 'pt',
    phone: '+5511987654321',
    text: 'Olá, onde está a minha encomenda? Devia ter chegado ontem.',
  },
  { language: 'es', phone: '+34612345678', text: 'Hola, ¿dónde está mi pedido? Debería haber llegado ayer.' },
  {
    language: 'de',
    phone: '+4915112345678',
    text: 'Hallo, wo ist meine Bestellung? Sie sollte gestern ankommen.',
  },
] as const;

describe('a provider outage hands off in the customer’s language (assistant in Italian)', () => {
  it('English, Portuguese, Spanish and German customers each get the handoff in their language', async () => {
    harness = await startHarness({
      db,
      noBot: true,
      assistant: {
        language: 'it',
        model: { provider: 'openai', model: 'gpt-4o-mini', apiKey: 'test-key' },
        resilience: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, callTimeoutMs: 5000 },
      },
      conversation: { handoff: { customerMessage: 'Un collega ti risponderà a breve.' } },
    });
    const h = harness;
    nock('https://api.openai.com')
      .persist()
      .post('/v1/chat/completions')
      .reply(503, { error: { message: 'overloaded' } });
    const logger = createLogger({ level: 'silent' });
    composed = composeAgentBot({ config: h.config, db, logger });
    bot = await startAgentBot({
      config: h.config,
      db,
      logger,
      responder: composed.responder,
      enrichers: composed.enrichers,
      clock: h.sim.clock,
      tuning: TEST_TUNING,
    });
    h.connect(bot.url);

    const sent = CUSTOMERS.map((customer) => ({
      customer,
      displayId: h.sim.customer.sendText(
        { inboxId: h.inboxId, phone: customer.phone, name: customer.language },
        customer.text,
      ).conversation.displayId,
    }));
    // An Italian customer gets the configured Italian message.
    const italian = h.sim.customer.sendText(
      { inboxId: h.inboxId, phone: '+393471234567', name: 'it' },
      'Ciao, dov’è il mio ordine? Doveva arrivare ieri.',
    ).conversation.displayId;
    const told = (displayId: number) =>
      botMessages(h, displayId)
        .filter((m) => !m.private)
        .map((m) => m.content);
    await h.sim.waitFor(
      () => [...sent.map((s) => s.displayId), italian].every((id) => told(id).length === 1),
      { timeoutMs: 30_000 },
    );
    for (const { customer, displayId } of sent) {
      const words = BOT_WORDING[customer.language];
      expect(told(displayId), customer.language).toEqual([`${words.handingOff} ${words.replySoon}`]);
    }
    expect(told(italian)).toEqual(['Un collega ti risponderà a breve.']);
    // The handoff event is written when the handoff is carried out, just after the message.
    const pool = bot.engine.context.db.pool;
    const handoffEvents = () =>
      pool.query<{ reason: string }>(
        `SELECT event->'payload'->>'reason' AS reason FROM analytics_outbox WHERE event_type = 'handoff'`,
      );
    let handoffs = await handoffEvents();
    for (let i = 0; i < 100 && handoffs.rows.length < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      handoffs = await handoffEvents();
    }
    expect(handoffs.rows.map((r) => r.reason)).toEqual(Array(5).fill('provider_outage'));
  });
});
