import path from 'node:path';
import { readFileSync } from 'node:fs';
import { Decimal } from 'decimal.js';
import nock from 'nock';
import { REPO_ROOT, createLogger, switchboardConfigSchema } from '@switchboard/core';
import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { createKnowledgeBase, ingestPaths } from '@switchboard/kb-ingest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { composeAgentBot } from '../src/compose-agent-bot.js';
import { startAgentBot, type RunningAgentBot } from '../src/start-agent-bot.js';
import { loadFixture } from '../src/llm/testing/load-fixture.js';
import { makeVoiceNote } from '../src/media/testing/make-voice-note.js';
import { TEST_TUNING, botMessages, dropTestDatabase, startHarness, type Harness } from './harness.js';

/**
 * A conversation's true cost, end to end through the simulator: a UK customer's voice note is
 * transcribed, the model answers with a tool call, the customer writes again while the second
 * model call is at the provider (that call is aborted, the answered one discarded), the turn is
 * regenerated, and the reply is a WhatsApp service message, charged since 2026-10-01.
 *
 * Hand-computed (gpt-4o-mini: input 0.15, cached input 0.075, output 0.6 USD per million tokens;
 * gpt-4o-mini-transcribe as in the media tests; config/prices.yaml GB card):
 *
 * | event                         | kind          | USD                                  |
 * |-------------------------------|---------------|--------------------------------------|
 * | voice note transcript         | transcription | 0.000332                             |
 * | 1st call, tool call, discarded| model         | 412×0.15 + 58×0.6 = 96.6 µ → 0.0000966|
 * | 2nd call, aborted, estimated  | model         | n×0.15 µ (n = its counted input)     |
 * | 3rd call, tool call           | model         | 0.0000966                            |
 * | 4th call, the answer          | model         | 86×0.15+1920×0.075+300×0.6 → 0.0003369|
 * | reply, service message to +44 | whatsapp      | GB utility rate 0.0220               |
 */
/** An outbox event as this test reads it (payload fields vary by type). */
interface RecordedEvent {
  costUsd?: string;
  costKind?: string;
  payload: Record<string, unknown> & {
    outcome?: string;
    discarded?: boolean;
    estimated?: boolean;
    turnId?: string;
    priceVersion?: string;
    usage?: { inputTokens: number; outputTokens: number };
  };
}

const OPENAI = 'https://api.openai.com';
const CHAT = '/v1/chat/completions';
const transcript = JSON.parse(
  readFileSync(
    new URL('../src/media/transcription/__fixtures__/openai-transcribe-json.json', import.meta.url),
    'utf8',
  ),
) as nock.Body;

let db: TestDatabase;
let harness: Harness | null = null;
let bot: RunningAgentBot | null = null;
let composed: ReturnType<typeof composeAgentBot> | null = null;
let voice: Buffer;

beforeAll(async () => {
  db = await createTestDatabase();
  const sample = path.join(REPO_ROOT, 'config', 'sample-knowledge');
  await createKnowledgeBase(db.pool, { accountId: 1, name: 'shop' });
  await ingestPaths(db.pool, {
    accountId: 1,
    kb: 'shop',
    paths: ['faq.md', 'opening-hours.md'].map((f) => path.join(sample, f)),
  });
  voice = await makeVoiceNote('When are you open on Saturday?');
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
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});
afterAll(async () => {
  nock.enableNetConnect();
  if (db) await dropTestDatabase(db);
});

describe('what a conversation costs, by kind', () => {
  it('counts media, discarded and aborted model calls and the WhatsApp fee, in the events and the budget', async () => {
    harness = await startHarness({
      db,
      noBot: true,
      assistant: {
        knowledgeBases: ['shop'],
        tools: ['knowledge_search'],
        model: { provider: 'openai', model: 'gpt-4o-mini', apiKey: 'test-key' },
      },
    });
    const h = harness;
    const config = switchboardConfigSchema.parse({
      ...h.config,
      media: {
        fetch: { allowPrivateAddresses: true },
        transcription: { provider: 'openai', model: 'gpt-4o-mini-transcribe', apiKey: 'test-key' },
      },
    });
    const tom = { inboxId: h.inboxId, phone: '+447911123456', name: 'Tom' };
    let interrupted: (() => void) | null = null;
    nock(OPENAI).post('/v1/audio/transcriptions').reply(200, transcript);
    // The model's replies by what it is asked: without tool results the tool call, with them the
    // answer. The first answer never arrives: the customer writes while it is at the provider.
    let chatCalls = 0;
    let interruptedOnce = false;
    nock(OPENAI)
      .post(CHAT)
      .times(4)
      .reply(async (_uri, body) => {
        chatCalls++;
        if (!JSON.stringify(body).includes('"role":"tool"')) {
          return [200, loadFixture('openai', 'openai-tool-calls.json')];
        }
        if (!interruptedOnce) {
          interruptedOnce = true;
          setTimeout(() => interrupted?.(), 200);
          await new Promise((resolve) => setTimeout(resolve, 10_000).unref());
        }
        return [200, loadFixture('openai', 'openai-text.json')];
      });

    const logger = createLogger({ level: 'silent' });
    composed = composeAgentBot({ config, db, logger });
    bot = await startAgentBot({
      config,
      db,
      logger,
      responder: composed.responder,
      enrichers: composed.enrichers,
      clock: h.sim.clock,
      tuning: TEST_TUNING,
    });
    h.connect(bot.url);

    const first = h.sim.customer.sendVoiceNote(tom, voice);
    const displayId = first.conversation.displayId;
    interrupted = () => void h.sim.customer.sendText(tom, 'And do you deliver?');
    await h.sim.waitFor(() => botMessages(h, displayId).some((m) => !m.private), { timeoutMs: 30_000 });
    const answers = botMessages(h, displayId).filter((m) => !m.private);
    expect(answers.map((m) => m.content)).toEqual([expect.stringMatching(/Saturday from 10:00 to 14:00/)]);

    // Tool call, the aborted answer, and both again for the regenerated turn.
    expect(chatCalls).toBe(4);

    const pool = bot.engine.context.db.pool;
    const rows = async () =>
      (
        await pool.query<{ type: string; event: RecordedEvent }>(
          `SELECT event_type AS type, event FROM analytics_outbox ORDER BY seq`,
        )
      ).rows;
    // The fee is written with the part's acceptance, just after the post.
    for (let i = 0; i < 50 && !(await rows()).some((r) => r.type === 'whatsapp_fee'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const events = await rows();
    const calls = events.filter((r) => r.type === 'model_call').map((r) => r.event);
    expect(
      calls.map((c) => [c.payload.outcome, c.payload.discarded, c.payload.estimated, c.costUsd]),
    ).toEqual([
      ['ok', true, false, '0.0000966'],
      ['aborted', true, true, expect.any(String)],
      ['ok', false, false, '0.0000966'],
      ['ok', false, false, '0.0003369'],
    ]);
    const aborted = calls[1]!;
    const counted = aborted.payload.usage!.inputTokens as number;
    // The request it aborted: system prompt, the transcript, the tool definitions and results.
    expect(counted).toBeGreaterThan(100);
    expect(counted).toBeLessThan(4000);
    expect(aborted.payload.usage!.outputTokens).toBe(0);
    expect(aborted.costUsd).toBe(new Decimal(counted).times('0.15').div(1_000_000).toFixed());

    const [transcription] = events.filter((r) => r.type === 'transcription').map((r) => r.event);
    const [fee] = events.filter((r) => r.type === 'whatsapp_fee').map((r) => r.event);
    expect(transcription).toMatchObject({ costUsd: '0.000332', costKind: 'transcription' });
    expect(fee).toMatchObject({
      costUsd: '0.0220',
      costKind: 'whatsapp',
      // +44 7911 is a Guernsey range: Meta bills +44 as the United Kingdom.
      payload: { category: 'service', country: 'GG', market: 'GB', feeRule: 'rate_card' },
    });
    expect(fee!.payload.priceVersion).toMatch(/^prices\.yaml@.+\/whatsapp@2026-10-01$/);

    // The turn's cost includes its media work: every costed event carries the turn.
    const [turn] = events.filter((r) => r.type === 'turn').map((r) => r.event);
    const turnId = turn!.payload.turnId as string;
    const costed = events.filter((r) => r.event.costKind);
    expect(costed.every((r) => r.event.payload.turnId === turnId)).toBe(true);

    const byKind = (list: { kind: string; cost: string }[]) =>
      Object.fromEntries(list.map((r) => [r.kind, new Decimal(r.cost).toFixed()]));
    const expected = {
      model: new Decimal('0.0000966').times(2).plus('0.0003369').plus(aborted.costUsd!).toFixed(),
      transcription: '0.000332',
      whatsapp: '0.022',
    };
    const fromEvents = await pool.query<{ kind: string; cost: string }>(
      `SELECT event->>'costKind' AS kind, SUM((event->>'costUsd')::numeric)::text AS cost
         FROM analytics_outbox WHERE event->>'costKind' IS NOT NULL GROUP BY 1`,
    );
    expect(byKind(fromEvents.rows)).toEqual(expected);
    // Budgets read the spend ledger: the same three kinds, the same amounts.
    const ledger = await pool.query<{ kind: string; cost: string }>(
      `SELECT kind, SUM(cost_usd)::text AS cost FROM assistant_spend_ledger
        WHERE turn_id = $1 GROUP BY 1`,
      [turnId],
    );
    expect(byKind(ledger.rows)).toEqual(expected);
    console.info(`conversation ${displayId} cost by kind (USD): ${JSON.stringify(expected)}`);
  });

  it('keeps the cost of a call answered after its generation was superseded, marked discarded', async () => {
    harness = await startHarness({ db });
    const h = harness;
    const tom = { inboxId: h.inboxId, phone: '+447911123456', name: 'Tom' };
    h.responder.setScript(async (context, call) => {
      if (call === 1) {
        // The provider's answer arrives after the customer wrote again (an SDK mid-body does
        // not stop at once): 0.0003928 USD, the call a live test lost.
        await new Promise((resolve) => setTimeout(resolve, 1500));
        context.emit({
          type: 'model_call',
          costUsd: '0.0003928',
          costKind: 'model',
          payload: {
            provider: 'scripted',
            model: 'late',
            latencyMs: 1500,
            outcome: 'ok',
            usage: { inputTokens: 1000, outputTokens: 400 },
            priceVersion: 'test',
          },
        } as never);
      }
      return { messages: [{ kind: 'text', text: `re: ${context.pending.map((m) => m.text).join(' | ')}` }] };
    });
    const first = h.sim.customer.sendText(tom, 'Qual o horário?');
    const displayId = first.conversation.displayId;
    await h.sim.waitFor(() => h.responder.calls.length === 1, { timeoutMs: 10_000 });
    h.sim.customer.sendText(tom, 'E aos sábados?');
    await h.sim.waitFor(() => botMessages(h, displayId).length === 1, { timeoutMs: 15_000 });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const pool = h.bot!.engine.context.db.pool;
    const calls = await pool.query<{ model: string; discarded: boolean; cost: string | null }>(
      `SELECT event->'payload'->>'model' AS model, (event->'payload'->>'discarded')::boolean AS discarded,
              event->>'costUsd' AS cost
         FROM analytics_outbox WHERE event_type = 'model_call' ORDER BY seq`,
    );
    const late = calls.rows.filter((r) => r.model === 'late');
    expect(late).toEqual([{ model: 'late', discarded: true, cost: '0.0003928' }]);
    expect(calls.rows.filter((r) => !r.discarded)).toHaveLength(1);
  });

  it('prices a follow-up template sent after the window closed, by category and country', async () => {
    const template = {
      name: 'reengage',
      language: 'en',
      params: { '1': '{{customer.name}}', '2': '{{text}}' },
    };
    harness = await startHarness({ db, conversation: { reengagementTemplate: template } });
    const h = harness;
    h.responder.setScript(async (context) => {
      await context.actions.scheduleFollowUp({
        at: new Date(context.now.getTime() + 1000),
        text: 'Did your order arrive?',
      });
      return { messages: [{ kind: 'text', text: 'Will do!' }] };
    });
    const whatsAppSpent = async () =>
      Number(
        (
          await h.db.pool.query<{ cost: string }>(
            `SELECT COALESCE(SUM(cost_usd), 0)::text AS cost FROM assistant_spend_ledger WHERE kind = 'whatsapp'`,
          )
        ).rows[0]!.cost,
      );
    // Earlier tests of this file share the database.
    const spentBefore = await whatsAppSpent();
    const rita = { inboxId: h.inboxId, phone: '+351912345678', name: 'Rita' };
    const sent = h.sim.customer.sendText(rita, 'Remind me tomorrow');
    const displayId = sent.conversation.displayId;
    await h.sim.waitFor(() => botMessages(h, displayId).length === 1, { timeoutMs: 15_000 });
    await h.sim.waitForIdle();
    h.sim.clock.advance(24 * 60 * 60_000 + 60_000); // the window closes before the follow-up
    await h.sim.waitFor(() => botMessages(h, displayId).length === 2, { timeoutMs: 15_000 });
    const pool = h.bot!.engine.context.db.pool;
    const costed = async () =>
      (
        await pool.query<{ type: string; event: RecordedEvent }>(
          `SELECT event_type AS type, event FROM analytics_outbox
            WHERE event_type IN ('template_sent', 'whatsapp_fee') ORDER BY seq`,
        )
      ).rows;
    for (let i = 0; i < 50 && (await costed()).length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Portugal (+351): Rest of Western Europe. The reply inside the window is a service message
    // (utility rate 0.0171); the template outside it a utility template (0.0171 too).
    expect(
      (await costed()).map((r) => [r.type, r.event.costUsd, r.event.payload.feeRule, r.event.payload.market]),
    ).toEqual([
      ['whatsapp_fee', '0.0171', 'rate_card', 'Rest of Western Europe'],
      ['template_sent', '0.0171', 'rate_card', 'Rest of Western Europe'],
    ]);
    const [templateSent] = (await costed()).filter((r) => r.type === 'template_sent');
    expect(templateSent!.event).toMatchObject({
      costKind: 'whatsapp',
      payload: { category: 'utility', country: 'PT', purpose: 'follow_up' },
    });
    expect(templateSent!.event.payload.priceVersion).toMatch(/\/whatsapp@2026-10-01$/);
    expect((await whatsAppSpent()) - spentBefore).toBeCloseTo(0.0342, 10);
  });
});
