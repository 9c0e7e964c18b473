import { createLogger, type Database } from '@switchboard/core';
import { createTestClickHouse, type TestClickHouse } from '@switchboard/core/testing';
import { startAgentBot, type RunningAgentBot } from '@switchboard/agent-bot';
import { createShipper } from '@switchboard/analytics';
import { createKnowledgeBase, ingestTexts, searchKnowledgeBases } from '@switchboard/kb-ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createScratchDatabase,
  migrateThroughPooler,
  pgbouncerUrls,
  type ScratchDatabase,
} from './pooled-database.js';
import { EchoResponder, SCALE_TUNING, startScaleHarness, type ScaleHarness } from './scale-harness.js';

/**
 * Every part that talks to PostgreSQL, through PgBouncer in transaction pooling (4 server
 * connections shared by every client): migrations, the engine (webhook intake, lanes, replies),
 * the job queue (pg-boss), the analytics shipper and kb-ingest. Anything that relies on session
 * state fails here: the next transaction of the same client may run on another server connection.
 */
const urls = pgbouncerUrls();
const logger = createLogger({ level: 'warn', format: 'json', name: 'pgbouncer-test' });

describe.skipIf(!urls)('through PgBouncer (transaction pooling)', () => {
  let scratch: ScratchDatabase;
  let db: Database;
  beforeAll(async () => {
    scratch = await createScratchDatabase(urls!);
    db = await scratch.connect(10);
  });
  afterAll(async () => scratch?.drop());

  const advisoryLocks = () =>
    scratch.inspect<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
       WHERE l.locktype = 'advisory' AND d.datname = $1`,
      [scratch.name],
    );

  it('migrates from several processes at once and leaves no advisory lock behind', async () => {
    // Three "processes" starting together, each with its own pool, sharing PgBouncer's 4 server connections.
    const pools = await Promise.all([scratch.connect(2), scratch.connect(2), scratch.connect(2)]);
    await Promise.all(pools.map((pool) => migrateThroughPooler(pool)));
    expect(await advisoryLocks()).toEqual([{ n: 0 }]);
    const tables = await scratch.inspect<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'
       AND table_name IN ('engine_conversations', 'analytics_outbox', 'kb_chunks') ORDER BY table_name`,
    );
    expect(tables.map((t) => t.table_name)).toEqual([
      'analytics_outbox',
      'engine_conversations',
      'kb_chunks',
    ]);
    // A later start (a redeploy) neither waits on a leaked lock nor applies anything twice.
    const started = performance.now();
    await migrateThroughPooler(db);
    expect(performance.now() - started).toBeLessThan(10_000);
    const applied = await scratch.inspect<{ n: number }>(
      `SELECT count(*)::int AS n FROM pgmigrations_agent_bot`,
    );
    const files = await scratch.inspect<{ n: number }>(
      `SELECT count(DISTINCT name)::int AS n FROM pgmigrations_agent_bot`,
    );
    expect(applied).toEqual(files);
  });

  describe('the engine, the job queue and the shipper', () => {
    let h: ScaleHarness;
    let bot: RunningAgentBot;
    let ch: TestClickHouse;
    beforeAll(async () => {
      await migrateThroughPooler(db);
      h = await startScaleHarness();
      bot = await startAgentBot({
        config: h.config,
        db,
        logger,
        responder: new EchoResponder(),
        tuning: SCALE_TUNING,
      });
      h.connect(bot.url);
      ch = await createTestClickHouse();
    });
    afterAll(async () => {
      await bot?.close();
      await h?.close();
      await ch?.drop();
    });

    it('answers every burst exactly once, merged, with 12 conversations sharing 4 server connections', async () => {
      const conversations = Array.from({ length: 12 }, (_, i) => {
        const customer = { inboxId: h.inboxId, phone: `+55119000${String(1000 + i)}`, name: `C${i}` };
        const first = h.sim.customer.sendText(customer, `hello ${i}`);
        h.sim.customer.sendText(customer, `more ${i}`);
        return first.conversation.displayId;
      });
      await h.sim.waitFor(() => conversations.every((id) => h.botReplies(id).length >= 1), {
        timeoutMs: 30_000,
      });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      conversations.forEach((id, i) => expect(h.botReplies(id)).toEqual([`re: hello ${i} | more ${i}`]));
    });

    it('runs a job queue job (a failed WhatsApp delivery) sent in the reply transaction', async () => {
      const customer = { inboxId: h.inboxId, phone: '+5511900009999', name: 'Jobs' };
      const displayId = h.sim.customer.sendText(customer, 'will fail').conversation.displayId;
      await h.sim.waitFor(() => h.botReplies(displayId).length === 1, { timeoutMs: 20_000 });
      const reply = h.sim
        .messages({ accountId: h.accountId, displayId })
        .find((m) => m.messageType === 'outgoing' && m.senderType === 'AgentBot')!;
      await h.sim.waitForIdle();
      expect(h.sim.receipt(reply.id, 'failed', { code: 131026, title: 'Message undeliverable' })).toBe(true);
      await h.sim.waitFor(
        async () =>
          (await scratch.inspect(`SELECT 1 FROM analytics_outbox WHERE event_type = 'delivery_failure'`))
            .length > 0,
        { timeoutMs: 20_000 },
      );
    });

    it('ships every outbox event to ClickHouse exactly once', async () => {
      await bot.close(); // nothing writes to the outbox any more: the count below is final
      const shipper = createShipper({
        db,
        clickhouse: ch,
        logger,
        options: { ...h.config.analytics.shipper, batchSize: 7 },
      });
      const total = (
        await scratch.inspect<{ n: number }>(`SELECT count(*)::int AS n FROM analytics_outbox`)
      )[0]!.n;
      expect(total).toBeGreaterThan(24);
      let batches = 0;
      while ((await shipper.shipOnce()).batchId !== null) batches += 1;
      expect(batches).toBeGreaterThanOrEqual(Math.ceil(total / 7));
      const open = await scratch.inspect<{ n: number }>(
        `SELECT count(*)::int AS n FROM analytics_outbox_batches WHERE shipped_at IS NULL`,
      );
      expect(open).toEqual([{ n: 0 }]);
      const rows = await (
        await ch.client.query({
          query: 'SELECT count() AS n, uniqExact(id) AS ids FROM events',
          format: 'JSONEachRow',
        })
      ).json<{ n: number; ids: number }>();
      expect(rows).toEqual([{ n: total, ids: total }]);
    });
  });

  it('creates, ingests and searches a knowledge base (SET LOCAL stays in its transaction)', async () => {
    await migrateThroughPooler(db);
    await createKnowledgeBase(db.pool, { accountId: 7, name: 'help' });
    await ingestTexts(db.pool, {
      accountId: 7,
      kb: 'help',
      documents: [
        { source: 'shipping.md', text: '# Shipping\nWe ship to 40 countries. Delivery takes 3 to 5 days.' },
        { source: 'returns.md', text: '# Returns\nReturn unused items within 30 days for a full refund.' },
      ],
    });
    const searches = await Promise.all(
      Array.from({ length: 8 }, () =>
        searchKnowledgeBases(db.pool, {
          accountId: 7,
          knowledgeBases: ['help'],
          query: 'How long does delivery take?',
        }),
      ),
    );
    for (const result of searches) expect(result.passages[0]?.source).toBe('shipping.md');
    // ef_search was SET LOCAL: no server connection kept it for the next client.
    const settings = await Promise.all(
      Array.from({ length: 8 }, () =>
        db.pool.query<{ ef: string }>(`SELECT current_setting('hnsw.ef_search') AS ef`),
      ),
    );
    expect(new Set(settings.map((s) => s.rows[0]!.ef))).toEqual(new Set(['40']));
  });
});
