import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { createLogger } from '@switchboard/core';
import {
  createTestClickHouse,
  createTestDatabase,
  type TestClickHouse,
  type TestDatabase,
} from '@switchboard/core/testing';
import { enqueueEvents } from '@switchboard/events';
import { messageEvent, modelCallEvent } from '../testing/event-factory.js';
import { createShipper, redactError, type ShipperOptions } from './shipper.js';
import { OutboxStore } from './outbox-store.js';

const logger = createLogger({ level: 'silent', format: 'json', name: 'test' });
const options: ShipperOptions = {
  enabled: true,
  batchSize: 50,
  idleIntervalMs: 10,
  leaseSeconds: 1,
  maxBackoffMs: 40,
  retainShippedHours: 0,
};

let db: TestDatabase;
let ch: TestClickHouse;

beforeAll(async () => {
  [db, ch] = await Promise.all([createTestDatabase(), createTestClickHouse()]);
});
afterAll(async () => {
  await Promise.all([db?.drop(), ch?.drop()]);
});
beforeEach(async () => {
  await db.pool.query('TRUNCATE analytics_outbox, analytics_outbox_batches');
  await ch.client.command({ query: 'TRUNCATE TABLE events' });
  await ch.client.command({ query: 'TRUNCATE TABLE conversation_events' });
  await ch.client.command({ query: 'TRUNCATE TABLE conversation_totals' });
});

async function chCount(sql: string): Promise<number> {
  const rows = await (
    await ch.client.query({ query: sql, format: 'JSONEachRow' })
  ).json<{ n: number | string }>();
  return Number(rows[0]!.n);
}

async function outboxState(): Promise<{ pending: number; shipped: number; dead: number }> {
  const { rows } = await db.pool.query<{ pending: string; shipped: string; dead: string }>(
    `WITH s AS (
       SELECT o.dead_at IS NOT NULL AS dead,
              o.shipped_at IS NOT NULL OR EXISTS (
                SELECT 1 FROM analytics_outbox_batches b
                 WHERE b.shipped_at IS NOT NULL AND o.batch_id IS NULL
                   AND (o.xid, o.seq) BETWEEN (b.from_xid, b.from_seq) AND (b.to_xid, b.to_seq)) AS shipped
         FROM analytics_outbox o)
     SELECT count(*) FILTER (WHERE NOT shipped AND NOT dead) AS pending,
            count(*) FILTER (WHERE shipped AND NOT dead) AS shipped,
            count(*) FILTER (WHERE dead) AS dead FROM s`,
  );
  return {
    pending: Number(rows[0]!.pending),
    shipped: Number(rows[0]!.shipped),
    dead: Number(rows[0]!.dead),
  };
}

/** 120 customer messages in conversation 100 and one model call costing 0.5 USD. */
async function seed(): Promise<void> {
  const events = Array.from({ length: 120 }, (_, i) => messageEvent('customer', { messageId: i + 1 }));
  events.push(modelCallEvent({ costUsd: '0.5' }));
  await enqueueEvents(db.pool, events);
}

describe('shipper', () => {
  it('ships every event once in batches, and the conversation view counts each once', async () => {
    await seed();
    const shipper = createShipper({ db, clickhouse: ch, logger, options });
    const results = [];
    for (let r = await shipper.shipOnce(); r.batchId; r = await shipper.shipOnce()) results.push(r.shipped);
    expect(results).toEqual([50, 50, 21]);
    expect(await chCount('SELECT count() AS n FROM events')).toBe(121);
    expect(await chCount('SELECT uniqExact(id) AS n FROM events')).toBe(121);
    expect(
      await chCount('SELECT messages_customer AS n FROM conversations_summary WHERE conversation_id = 100'),
    ).toBe(120);
    expect(await outboxState()).toEqual({ pending: 0, shipped: 121, dead: 0 });
  });

  it('is exactly-once when a shipper dies between the ClickHouse insert and the mark', async () => {
    await seed();
    // Shipper A inserts its first batch and then hangs forever, like a killed process.
    const a = createShipper({
      db,
      clickhouse: ch,
      logger,
      options,
      afterInsert: () => new Promise<never>(() => {}),
    });
    void a.shipOnce();
    await waitFor(async () => (await chCount('SELECT count() AS n FROM events')) === 50);
    expect((await outboxState()).shipped).toBe(0);

    // Shipper B first takes the other rows, then the dead batch once its 1 s lease expires.
    const b = createShipper({ db, clickhouse: ch, logger, options });
    let reclaimed = 0;
    await waitFor(async () => {
      const r = await b.shipOnce();
      if (r.reclaimed) reclaimed += 1;
      return (await outboxState()).pending === 0;
    }, 10_000);
    expect(reclaimed).toBe(1);
    expect(await chCount('SELECT count() AS n FROM events')).toBe(121);
    expect(
      await chCount('SELECT messages_customer AS n FROM conversations_summary WHERE conversation_id = 100'),
    ).toBe(120);
    const cost = await (
      await ch.client.query({
        query: 'SELECT toString(cost_usd) AS c FROM conversations_summary',
        format: 'JSONEachRow',
      })
    ).json<{ c: string }>();
    expect(cost[0]!.c).toBe('0.5');
  });

  it('keeps events in the outbox while ClickHouse is down, backs off, then delivers each once', async () => {
    await seed();
    // A real client pointed at a closed port: connection refused, as when ClickHouse is down.
    const down = createClient({
      url: 'http://127.0.0.1:9',
      request_timeout: 2000,
      log: { level: ClickHouseLogLevel.OFF },
    });
    const target = { client: down as typeof ch.client };
    const shipper = createShipper({ db, clickhouse: target, logger, options });
    shipper.start();
    await waitFor(async () => shipper.stats.consecutiveFailures >= 3);
    expect(await outboxState()).toEqual({ pending: 121, shipped: 0, dead: 0 });
    // More events arrive during the outage: the outbox grows.
    await enqueueEvents(db.pool, [messageEvent('ai', { messageId: 9999 })]);
    expect((await outboxState()).pending).toBe(122);

    target.client = ch.client;
    await waitFor(async () => (await outboxState()).pending === 0, 10_000);
    await shipper.stop();
    await down.close();
    expect(shipper.stats.failures).toBeGreaterThanOrEqual(3);
    expect(await chCount('SELECT count() AS n FROM events')).toBe(122);
    expect(await chCount('SELECT uniqExact(id) AS n FROM events')).toBe(122);
  });

  it('sets malformed outbox rows aside without blocking the rest, and keeps them', async () => {
    await seed();
    // A row written around enqueueEvents (or by an older producer): not a valid event.
    await db.pool.query(
      `INSERT INTO analytics_outbox (id, account_id, event_type, occurred_at, event)
       VALUES (gen_random_uuid(), 1, 'message', now(), '{"type":"message","accountId":"x"}')`,
    );
    const shipper = createShipper({ db, clickhouse: ch, logger, options: { ...options, batchSize: 1000 } });
    const r = await shipper.shipOnce();
    expect(r).toMatchObject({ shipped: 121, dead: 1 });
    expect(await outboxState()).toEqual({ pending: 0, shipped: 121, dead: 1 });
    const { rows } = await db.pool.query<{ last_error: string }>(
      'SELECT last_error FROM analytics_outbox WHERE dead_at IS NOT NULL',
    );
    expect(rows[0]!.last_error).toMatch(/^invalid event/);
  });

  it('prunes shipped rows past retention and never unshipped ones', async () => {
    await seed();
    const shipper = createShipper({ db, clickhouse: ch, logger, options });
    await shipper.shipOnce();
    await new Promise((r) => setTimeout(r, 20));
    expect(await shipper.prune()).toBe(50);
    expect(await outboxState()).toEqual({ pending: 71, shipped: 0, dead: 0 });
  });

  it('lets several shippers run at once without duplicates', async () => {
    await seed();
    const shippers = [1, 2, 3].map(() =>
      createShipper({ db, clickhouse: ch, logger, options: { ...options, batchSize: 7 } }),
    );
    shippers.forEach((s) => s.start());
    await waitFor(async () => (await outboxState()).pending === 0, 15_000);
    await Promise.all(shippers.map((s) => s.stop()));
    expect(await chCount('SELECT count() AS n FROM events')).toBe(121);
    // On a loaded machine a 1 s lease can expire mid-batch and the batch be sent twice: the
    // shippers then report more than 121, and ClickHouse still holds each event once.
    expect(shippers.reduce((n, s) => n + s.stats.shipped, 0)).toBeGreaterThanOrEqual(121);
  });
});

describe('shipper batch ranges', () => {
  const realServer = Boolean(process.env.TEST_DATABASE_URL);

  async function batches(): Promise<
    { after: string; from: string; to: string; events: number; shipped: boolean }[]
  > {
    const { rows } = await db.pool.query<{
      after: string;
      from: string;
      to: string;
      events: number;
      shipped: boolean;
    }>(
      `SELECT after_xid || ':' || after_seq AS after, from_xid || ':' || from_seq AS from,
              to_xid || ':' || to_seq AS to, events, shipped_at IS NOT NULL AS shipped
         FROM analytics_outbox_batches ORDER BY to_xid, to_seq`,
    );
    return rows;
  }

  it('claims a batch as one row covering a key range, and chains each batch after the last', async () => {
    await seed();
    const shipper = createShipper({ db, clickhouse: ch, logger, options });
    while ((await shipper.shipOnce()).batchId);
    const chain = await batches();
    expect(chain.map((b) => b.events)).toEqual([50, 50, 21]);
    expect(chain.every((b) => b.shipped)).toBe(true);
    expect(chain[0]!.after).toBe('0:0');
    expect(chain[1]!.after).toBe(chain[0]!.to);
    expect(chain[2]!.after).toBe(chain[1]!.to);
    // The outbox rows were never rewritten by the shipper.
    const { rows } = await db.pool.query<{ n: string }>(
      'SELECT count(*) AS n FROM analytics_outbox WHERE batch_id IS NULL AND shipped_at IS NULL AND attempts = 0',
    );
    expect(Number(rows[0]!.n)).toBe(121);
  });

  it('ships around the gap a rolled-back producer transaction leaves in seq', async () => {
    await enqueueEvents(db.pool, [messageEvent('customer', { messageId: 1 })]);
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await enqueueEvents(client, [messageEvent('customer', { messageId: 2 })]);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    await enqueueEvents(db.pool, [messageEvent('customer', { messageId: 3 })]);
    const shipper = createShipper({ db, clickhouse: ch, logger, options });
    expect(await shipper.shipOnce()).toMatchObject({ shipped: 2 });
    expect((await shipper.shipOnce()).batchId).toBeNull();
    expect(await chCount('SELECT count() AS n FROM events')).toBe(2);
    expect(await outboxState()).toEqual({ pending: 0, shipped: 2, dead: 0 });
  });

  // PGlite runs one session: a producer transaction cannot stay open beside the shipper there.
  it.skipIf(!realServer)(
    'never skips a lower seq that commits after a higher one was shipped (open producer transaction)',
    async () => {
      const shipper = createShipper({ db, clickhouse: ch, logger, options });
      const slow = await db.pool.connect();
      try {
        await slow.query('BEGIN');
        // Takes the lower seq (and an older transaction id), commits last.
        await enqueueEvents(slow, [messageEvent('customer', { messageId: 1 })]);
        await enqueueEvents(db.pool, [messageEvent('customer', { messageId: 2 })]);
        await enqueueEvents(db.pool, [messageEvent('customer', { messageId: 3 })]);
        // Nothing at or after the open transaction is claimable yet: a range claim now could
        // not know whether seq 1 will commit.
        expect((await shipper.shipOnce()).batchId).toBeNull();
        await slow.query('COMMIT');
      } finally {
        slow.release();
      }
      expect(await shipper.shipOnce()).toMatchObject({ shipped: 3 });
      expect(await chCount('SELECT count() AS n FROM events')).toBe(3);
      expect(await chCount('SELECT uniqExact(id) AS n FROM events')).toBe(3);
      expect(await outboxState()).toEqual({ pending: 0, shipped: 3, dead: 0 });
    },
  );

  it('gives concurrent claims disjoint adjacent ranges: each event shipped once', async () => {
    const events = Array.from({ length: 400 }, (_, i) => messageEvent('customer', { messageId: i + 1 }));
    for (let i = 0; i < events.length; i += 40) await enqueueEvents(db.pool, events.slice(i, i + 40));
    const shippers = [1, 2, 3, 4].map(() =>
      createShipper({ db, clickhouse: ch, logger, options: { ...options, batchSize: 30, leaseSeconds: 60 } }),
    );
    let shipped = 0;
    await Promise.all(
      shippers.map(async (s) => {
        for (let r = await s.shipOnce(); r.batchId; r = await s.shipOnce()) shipped += r.shipped;
      }),
    );
    expect(shipped).toBe(400);
    const chain = await batches();
    expect(chain.reduce((n, b) => n + b.events, 0)).toBe(400);
    chain.forEach((b, i) => expect(b.after).toBe(i === 0 ? '0:0' : chain[i - 1]!.to));
    expect(await chCount('SELECT count() AS n FROM events')).toBe(400);
    expect(await chCount('SELECT uniqExact(id) AS n FROM events')).toBe(400);
  });

  it('keeps the last batch when pruning, so new events ship and old ones do not ship again', async () => {
    await seed();
    const shipper = createShipper({ db, clickhouse: ch, logger, options: { ...options, batchSize: 1000 } });
    await shipper.shipOnce();
    await new Promise((r) => setTimeout(r, 20));
    expect(await shipper.prune()).toBe(121);
    expect(await batches()).toHaveLength(1);
    await enqueueEvents(db.pool, [messageEvent('ai', { messageId: 5000 })]);
    expect(await shipper.shipOnce()).toMatchObject({ shipped: 1 });
    expect(await chCount('SELECT count() AS n FROM events')).toBe(122);
  });

  it('reports the backlog: rows after the last batch plus rows of unshipped batches', async () => {
    await seed();
    const store = new OutboxStore(db.pool);
    const shipper = createShipper({ db, clickhouse: ch, logger, options });
    await shipper.shipOnce();
    expect(await store.claim(50, 60)).not.toBeNull(); // claimed, never marked
    expect(await store.backlog()).toMatchObject({ pending: 71, dead: 0 });
  });

  it('maps rows written without a stored ClickHouse line, and finishes per-row batches of 0002', async () => {
    // A valid row written around enqueueEvents (no stored line): validated and mapped here.
    const loose = messageEvent('customer', { messageId: 77 });
    await db.pool.query(
      `INSERT INTO analytics_outbox (id, account_id, event_type, occurred_at, event)
       VALUES ($1, 1, 'message', now(), $2)`,
      [loose.id, JSON.stringify(loose)],
    );
    // A batch claimed row by row before migration 0003, whose shipper died: lease expired.
    await enqueueEvents(db.pool, [messageEvent('customer', { messageId: 78 })]);
    await db.pool.query(
      `UPDATE analytics_outbox SET batch_id = gen_random_uuid(), claimed_until = now() - interval '1 second'
        WHERE event->'payload'->>'messageId' = '78'`,
    );
    const shipper = createShipper({ db, clickhouse: ch, logger, options });
    expect(await shipper.shipOnce()).toMatchObject({ shipped: 1, reclaimed: true });
    expect(await shipper.shipOnce()).toMatchObject({ shipped: 1, reclaimed: false });
    expect((await shipper.shipOnce()).batchId).toBeNull();
    expect(await chCount('SELECT count() AS n FROM events')).toBe(2);
    expect(await outboxState()).toEqual({ pending: 0, shipped: 2, dead: 0 });
  });
});

describe('redactError', () => {
  it('masks phone numbers quoted in ClickHouse errors', () => {
    const message = redactError('Cannot parse input: expected \'"\' before: +5511987654321","cost_usd"');
    expect(message).not.toContain('987654');
    expect(message).toContain('+55');
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
