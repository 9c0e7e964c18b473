import path from 'node:path';
import nock from 'nock';
import { REPO_ROOT, createLogger } from '@switchboard/core';
import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { createKnowledgeBase, ingestPaths } from '@switchboard/kb-ingest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { composeAgentBot } from '../src/compose-agent-bot.js';
import { startAgentBot, type RunningAgentBot } from '../src/start-agent-bot.js';
import { loadFixture } from '../src/llm/testing/load-fixture.js';
import { PROVIDER_CASES } from '../src/llm/testing/provider-cases.js';
import { TEST_TUNING, botMessages, dropTestDatabase, startHarness, type Harness } from './harness.js';

/**
 * Issue 5's "done when": an assistant configured for each provider answers a WhatsApp customer
 * end to end — simulator webhook → engine → composed assistant (the real SDK against nock, tools,
 * the knowledge base) → reply posted to the simulator — and each model call costs what the
 * hand-computed table says.
 */
let db: TestDatabase;
let harness: Harness | null = null;
let bot: RunningAgentBot | null = null;
let composed: ReturnType<typeof composeAgentBot> | null = null;

beforeAll(async () => {
  db = await createTestDatabase();
  const sample = path.join(REPO_ROOT, 'config', 'sample-knowledge');
  await createKnowledgeBase(db.pool, { accountId: 1, name: 'shop' });
  await ingestPaths(db.pool, {
    accountId: 1,
    kb: 'shop',
    paths: ['faq.md', 'opening-hours.md', 'repairs.md'].map((f) => path.join(sample, f)),
  });
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

describe('each provider answers through the simulator, with tools', () => {
  it.each(PROVIDER_CASES)(
    '$provider',
    async ({ provider, model, host, path: apiPath, fixtures, costs, answer }) => {
      harness = await startHarness({
        db,
        noBot: true,
        assistant: {
          knowledgeBases: ['shop'],
          tools: ['knowledge_search', 'handoff_to_human'],
          model: { provider, model, apiKey: 'test-key' },
        },
      });
      const h = harness;
      nock(host)
        .post(apiPath)
        .reply(200, loadFixture(provider, fixtures[0]!))
        .post(apiPath)
        .reply(200, loadFixture(provider, fixtures[1]!));

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

      const sent = h.sim.customer.sendText(
        { inboxId: h.inboxId, phone: '+351912345678', name: 'Rita' },
        'When are you open, and do you deliver?',
      );
      const displayId = sent.conversation.displayId;
      await h.sim.waitFor(() => botMessages(h, displayId).some((m) => !m.private), { timeoutMs: 20_000 });
      const [reply] = botMessages(h, displayId).filter((m) => !m.private);
      expect(reply!.content).toMatch(answer);

      const pool = bot.engine.context.db.pool;
      const calls = await pool.query<{ cost: string; provider: string; outcome: string }>(
        `SELECT event->>'costUsd' AS cost, event->'payload'->>'provider' AS provider, event->'payload'->>'outcome' AS outcome
         FROM analytics_outbox WHERE event_type = 'model_call' ORDER BY seq`,
      );
      expect(calls.rows.map((r) => r.cost)).toEqual(costs);
      expect(calls.rows.every((r) => r.provider === provider && r.outcome === 'ok')).toBe(true);
      const tools = await pool.query(
        `SELECT count(*)::int AS n FROM analytics_outbox WHERE event_type = 'tool_call'`,
      );
      expect(tools.rows[0].n).toBeGreaterThan(0);
      // The turn event is written when the reply's acceptance is recorded, just after the post.
      let turns = { rows: [] as { outcome: string }[] };
      for (let i = 0; i < 50 && turns.rows.length === 0; i++) {
        turns = await pool.query<{ outcome: string }>(
          `SELECT event->'payload'->>'outcome' AS outcome FROM analytics_outbox WHERE event_type = 'turn'`,
        );
        if (turns.rows.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(turns.rows.map((r) => r.outcome)).toEqual(['replied']);
    },
  );
});
