import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { createLogger } from '@switchboard/core';
import {
  createTestClickHouse,
  createTestDatabase,
  type TestClickHouse,
  type TestDatabase,
} from '@switchboard/core/testing';
import { enqueueEvents } from '../outbox/enqueue-events.js';
import { messageEvent, modelCallEvent } from '../testing/event-factory.js';
import { createShipper, redactError, type ShipperOptions } from './shipper.js';

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
  await ch.client.command({ query: 'TRUNCATE TABLE conversations' });
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
