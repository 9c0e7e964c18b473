import path from 'node:path';
import nock from 'nock';
import { analyticsEventSchema, enqueueEvents, type AnalyticsEvent } from '@switchboard/events';
import { REPO_ROOT, createLogger } from '@switchboard/core';
import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { createKnowledgeBase, ingestPaths, searchKnowledgeBases } from '@switchboard/kb-ingest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadFixture } from '../llm/testing/load-fixture.js';
import { PROVIDER_CASES } from '../llm/testing/provider-cases.js';
import { createAssistantResponder } from './create-assistant-responder.js';
import type { TurnReply } from '../responder/responder.js';
import { assistantConfig, buildTurn } from './testing/build-turn.js';

/**
 * The Responder as the engine calls it, with a TurnContext built by hand: real knowledge-base
 * search (kb-ingest, offline embedder, the sample knowledge), real provider SDKs against nock.
 */
const logger = createLogger({ level: 'silent' });
const sample = path.join(REPO_ROOT, 'config', 'sample-knowledge');
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await createKnowledgeBase(db.pool, { accountId: 1, name: 'shop' });
  await ingestPaths(db.pool, {
    accountId: 1,
    kb: 'shop',
    paths: ['faq.md', 'opening-hours.md', 'repairs.md'].map((f) => path.join(sample, f)),
  });
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(async () => {
  nock.enableNetConnect();
  await db?.drop();
});
afterEach(async () => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  await db.pool.query('DELETE FROM assistant_spend_ledger');
  expect(pending).toEqual([]);
});

function responder(assistants: Record<string, ReturnType<typeof assistantConfig>>) {
  return createAssistantResponder({
    config: { assistants },
    db,
    logger,
    knowledgeSearch: searchKnowledgeBases,
    sleep: async () => undefined,
  });
}
const events = (list: unknown[]): AnalyticsEvent[] => list.map((e) => analyticsEventSchema.parse(e));
const text = (reply: TurnReply) => (reply.messages[0]?.kind === 'text' ? reply.messages[0].text : '');

describe('offline assistant (no key)', () => {
  const shop = assistantConfig({ knowledgeBases: ['shop'] });

  it('answers from the best passage with its source, saying it is automatic', async () => {
    const { turn, events: emitted } = buildTurn('When are you open on Saturday?');
    const reply = await responder({ shop }).respond(turn);
    expect(reply.handoff).toBeUndefined();
    expect(text(reply)).toMatch(/^🤖 \*Automatic answer\*/);
    expect(text(reply)).toContain('Saturday: 9:00 to 17:00');
    expect(text(reply)).toMatch(/Source: .*opening-hours\.md/);
    expect(text(reply)).toContain('Write "human"');
    const search = events(emitted).find((e) => e.type === 'knowledge_search');
    expect(search?.type === 'knowledge_search' && search.payload).toMatchObject({
      outcome: 'hit',
      turnId: 'turn-1',
    });
    // record: false, so kb-ingest did not write a second knowledge_search event to the outbox.
    const outbox = await db.pool.query(
      `SELECT count(*)::int AS n FROM analytics_outbox WHERE event_type = 'knowledge_search'`,
    );
    expect(outbox.rows[0].n).toBe(0);
  });

  it('hands off on "I want a human", in the customer’s language', async () => {
    const en = await responder({ shop }).respond(buildTurn('I want a human').turn);
    expect(en).toEqual({
      messages: [],
      handoff: {
        reason: 'customer_request',
        summary: 'The customer asked for a person: "I want a human"',
        customerMessage: expect.stringMatching(/^Of course/),
      },
    });
    const es = await responder({ shop }).respond(buildTurn('Quiero hablar con una persona').turn);
    expect(es.handoff?.customerMessage).toMatch(/^Claro/);
  });

  it('greets and thanks without searching, and hands off when nothing matches well enough', async () => {
    expect(text(await responder({ shop }).respond(buildTurn('Hello!').turn))).toContain(
      'automatic assistant of Riverside Bikes',
    );
    expect(text(await responder({ shop }).respond(buildTurn('Danke!').turn))).toBe(
      'Gern geschehen! Wenn noch etwas ist, schreiben Sie einfach.',
    );
    const miss = await responder({ shop }).respond(
      buildTurn('What is the airspeed velocity of an unladen swallow?').turn,
    );
    expect(miss.messages).toEqual([]);
    expect(miss.handoff).toMatchObject({
      reason: 'low_confidence',
      customerMessage: expect.stringMatching(/could not find/),
    });
  });
});

describe('model assistant (nock, real SDKs)', () => {
  const openai = assistantConfig({
    knowledgeBases: ['shop'],
    knowledge: { passages: 2 },
    tools: ['knowledge_search', 'handoff_to_human'],
    model: { provider: 'openai', model: 'gpt-4o-mini', apiKey: 'sk-test-key' },
    fallbacks: [{ provider: 'anthropic', model: 'claude-haiku-4-5', apiKey: 'sk-ant-test' }],
  });

  it('answers with tools: two parallel knowledge searches, then text; costs match the table', async () => {
    const bodies: Array<{ messages: Array<{ role: string; content: unknown }> }> = [];
    nock('https://api.openai.com')
      .post('/v1/chat/completions', (b: (typeof bodies)[number]) => (bodies.push(b), true))
      .reply(200, loadFixture('openai', 'openai-tool-calls.json'))
      .post('/v1/chat/completions', (b: (typeof bodies)[number]) => (bodies.push(b), true))
      .reply(200, loadFixture('openai', 'openai-text.json'));
    const { turn, events: emitted } = buildTurn('When are you open on Saturday, and do you deliver?');
    const reply = await responder({ shop: openai }).respond(turn);
    expect(reply).toEqual({
      messages: [
        {
          kind: 'text',
          text: 'We are open Monday to Friday from 9:00 to 18:00, and on Saturday from 10:00 to 14:00.',
        },
      ],
    });

    // The prompt carried retrieved knowledge; the second call carried both tool results.
    expect(bodies[0]!.messages[0]!.content).toContain('## Knowledge');
    const toolMessages = bodies[1]!.messages.filter((m) => m.role === 'tool');
    expect(toolMessages).toHaveLength(2);
    expect(String(toolMessages[0]!.content)).toContain('"found":true');

    const calls = events(emitted).flatMap((e) => (e.type === 'model_call' ? [e] : []));
    // gpt-4o-mini: 412×0.15 + 58×0.6 = 96.6 per million; then 86×0.15 + 1920×0.075 + 300×0.6 = 336.9
    expect(calls.map((c) => c.costUsd)).toEqual(['0.0000966', '0.0003369']);
    expect(calls.every((c) => c.payload.outcome === 'ok' && c.payload.provider === 'openai')).toBe(true);
    expect(calls.map((c) => c.payload.finishReason)).toEqual(['tool_calls', 'stop']);
    expect(calls[1]!.payload.rawUsage).toMatchObject({
      prompt_tokens: 2006,
      prompt_tokens_details: { cached_tokens: 1920 },
    });
    expect(events(emitted).filter((e) => e.type === 'tool_call')).toHaveLength(2);
    // The engine writes them in the turn's transaction: the outbox accepts every one.
    await enqueueEvents(db.pool, emitted);
    const outbox = await db.pool.query(
      `SELECT event_type, count(*)::int AS n FROM analytics_outbox WHERE event_type <> 'embedding' GROUP BY 1 ORDER BY 1`,
    );
    expect(outbox.rows).toEqual([
      { event_type: 'knowledge_search', n: 3 },
      { event_type: 'model_call', n: 2 },
      { event_type: 'tool_call', n: 2 },
    ]);
    const ledger = await db.pool.query(
      `SELECT sum(cost_usd)::text AS s, min(price_version) AS v FROM assistant_spend_ledger WHERE conversation_id = 42`,
    );
    expect(ledger.rows[0]).toEqual({
      s: '0.000433500000',
      v: expect.stringMatching(/^genai-prices@0\.1\.8$/),
    });
  });

  it.each(PROVIDER_CASES.filter((c) => c.provider !== 'openai'))(
    'answers with tools on $provider; costs match the table',
    async ({ provider, model, host, path: apiPath, fixtures, costs, answer }) => {
      const shop = assistantConfig({
        knowledgeBases: ['shop'],
        tools: ['knowledge_search', 'handoff_to_human'],
        model: { provider, model, apiKey: 'test-key' },
      });
      nock(host)
        .post(apiPath)
        .reply(200, loadFixture(provider, fixtures[0]!))
        .post(apiPath)
        .reply(200, loadFixture(provider, fixtures[1]!));
      const { turn, events: emitted } = buildTurn('Do you deliver, and when are you open?');
      const reply = await responder({ shop }).respond(turn);
      expect(text(reply)).toMatch(answer);
      const all = events(emitted);
      expect(
        all.filter((e) => e.type === 'tool_call').map((e) => e.type === 'tool_call' && e.payload.outcome),
      ).toEqual(['ok', 'ok']);
      expect(all.flatMap((e) => (e.type === 'model_call' ? [e.costUsd] : []))).toEqual(costs);
    },
  );

  it('falls back to Anthropic after OpenAI keeps failing', async () => {
    nock('https://api.openai.com')
      .post('/v1/chat/completions')
      .times(3)
      .reply(500, loadFixture('openai', 'openai-error-500.json'));
    nock('https://api.anthropic.com')
      .post('/v1/messages')
      .reply(200, loadFixture('anthropic', 'anthropic-text.json'));
    const { turn, events: emitted } = buildTurn('Do you deliver to Porto?');
    const reply = await responder({ shop: openai }).respond(turn);
    expect(text(reply)).toMatch(/Porto/);
    const calls = events(emitted).flatMap((e) => (e.type === 'model_call' ? [e.payload] : []));
    expect(calls.map((c) => `${c.provider}#${c.attempt}:${c.outcome}`)).toEqual([
      'openai#1:error',
      'openai#2:error',
      'openai#3:error',
      'anthropic#1:ok',
    ]);
    expect(calls[3]!.fallbackFrom).toBe('openai:gpt-4o-mini');
  });

  it('hands off with provider_outage when every provider fails, never an error text', async () => {
    nock('https://api.openai.com')
      .post('/v1/chat/completions')
      .times(3)
      .reply(429, loadFixture('openai', 'openai-error-429.json'), { 'retry-after': '1' });
    nock('https://api.anthropic.com')
      .post('/v1/messages')
      .times(3)
      .reply(529, loadFixture('anthropic', 'anthropic-error-529.json'));
    const reply = await responder({ shop: openai }).respond(buildTurn('Do you deliver to Porto?').turn);
    expect(reply.messages).toEqual([]);
    expect(reply.handoff).toMatchObject({
      reason: 'provider_outage',
      customerMessage: expect.stringMatching(/cannot answer automatically/),
    });
    expect(reply.handoff?.summary).toContain('openai rate_limited, anthropic server');
  });

  it('hands off when the turn deadline passes, and says nothing when the turn is superseded', async () => {
    const slow = assistantConfig({
      model: { provider: 'openai', model: 'gpt-4o-mini', apiKey: 'sk-test-key' },
      conversation: { turnDeadlineMs: 1000 },
    });
    nock('https://api.openai.com')
      .post('/v1/chat/completions')
      .delay(3000)
      .reply(200, loadFixture('openai', 'openai-text.json'));
    const late = await responder({ shop: slow }).respond(buildTurn('Are you open?').turn);
    expect(late.handoff).toMatchObject({
      reason: 'provider_outage',
      summary: expect.stringContaining('deadline'),
    });

    const superseded = new AbortController();
    nock('https://api.openai.com')
      .post('/v1/chat/completions')
      .delay(3000)
      .reply(200, loadFixture('openai', 'openai-text.json'));
    setTimeout(() => superseded.abort(), 100);
    const dropped = await responder({ shop: slow }).respond(
      buildTurn('Are you open?', { signal: superseded.signal }).turn,
    );
    expect(dropped).toEqual({ messages: [] });
  });

  it('is the offline assistant when the configured key is empty', async () => {
    const noKey = assistantConfig({
      knowledgeBases: ['shop'],
      model: { provider: 'openai', model: 'gpt-4o-mini', apiKey: '' },
    });
    const reply = await responder({ shop: noKey }).respond(buildTurn('How much is a puncture repair?').turn);
    expect(text(reply)).toMatch(/Automatic answer[\s\S]*repairs\.md/);
  });
});

describe('budgets', () => {
  const base = {
    knowledgeBases: ['shop'],
    timezone: 'Europe/Berlin',
    model: { provider: 'openai', model: 'gpt-4o-mini', apiKey: 'sk-test-key' },
  };
  async function spend(costUsd: string, at: string, conversationId = 42): Promise<void> {
    await db.pool.query(
      `INSERT INTO assistant_spend_ledger (assistant, account_id, conversation_id, kind, cost_usd, price_version, occurred_at)
       VALUES ('shop', 1, $1, 'model', $2, 'test', $3)`,
      [conversationId, costUsd, at],
    );
  }

  it('hands off when the monthly budget is used up, counting the month in the assistant’s timezone', async () => {
    const shop = assistantConfig({ ...base, budget: { monthlyUsd: '1.00', whenExhausted: 'handoff' } });
    await spend('0.60', '2026-11-02T09:00:00Z', 1);
    await spend('0.40', '2026-11-20T09:00:00Z', 2);
    await spend('5.00', '2026-10-31T22:30:00Z', 3); // 23:30 on 31 Oct in Berlin: last month
    const { turn, events: emitted } = buildTurn('When are you open?');
    const reply = await responder({ shop }).respond(turn);
    expect(reply.handoff).toMatchObject({
      reason: 'budget_exhausted',
      summary: expect.stringContaining('monthly budget of $1.00'),
    });
    const budget = events(emitted).find((e) => e.type === 'budget');
    expect(budget?.type === 'budget' && budget.payload).toEqual({
      scope: 'assistant',
      limitUsd: '1.00',
      spentUsd: '1',
      action: 'handoff',
    });
  });

  it('a month boundary in the timezone resets the monthly budget', async () => {
    const shop = assistantConfig({ ...base, budget: { monthlyUsd: '1.00', whenExhausted: 'handoff' } });
    await spend('5.00', '2026-10-31T22:30:00Z', 3);
    nock('https://api.openai.com')
      .post('/v1/chat/completions')
      .reply(200, loadFixture('openai', 'openai-text.json'));
    const reply = await responder({ shop }).respond(buildTurn('When are you open?').turn);
    expect(reply.handoff).toBeUndefined();
  });

  it('answers from the knowledge base only when the conversation budget is used up', async () => {
    const shop = assistantConfig({
      ...base,
      budget: { perConversationUsd: '0.05', whenExhausted: 'knowledge_only' },
    });
    await spend('0.05', '2026-11-25T09:00:00Z');
    const { turn, events: emitted } = buildTurn('How much is a puncture repair?');
    const reply = await responder({ shop }).respond(turn);
    expect(text(reply)).toMatch(/Automatic answer/);
    expect(events(emitted).find((e) => e.type === 'budget')).toMatchObject({
      payload: { scope: 'conversation', action: 'knowledge_only', spentUsd: '0.05' },
    });
  });

  it('switches to the cheaper model', async () => {
    const shop = assistantConfig({
      ...base,
      model: { provider: 'openai', model: 'gpt-4.1', apiKey: 'sk-test-key' },
      budget: {
        monthlyUsd: '0.5',
        whenExhausted: 'cheaper_model',
        cheaperModel: { provider: 'gemini', model: 'gemini-2.5-flash', apiKey: 'AIza-test' },
      },
    });
    await spend('0.75', '2026-11-10T09:00:00Z', 5);
    nock('https://generativelanguage.googleapis.com')
      .post('/v1beta/models/gemini-2.5-flash:generateContent')
      .reply(200, loadFixture('gemini', 'gemini-text.json'));
    const { turn, events: emitted } = buildTurn('Horário?');
    const reply = await responder({ shop }).respond(turn);
    expect(text(reply)).toMatch(/Lisboa/);
    const call = events(emitted).find((e) => e.type === 'model_call');
    // gemini-2.5-flash: 1104×0.3 + 4096×0.03 + 580×2.5 = 1904.08 per million
    expect(call).toMatchObject({
      costUsd: '0.00190408',
      payload: { provider: 'gemini', model: 'gemini-2.5-flash' },
    });
  });
});
