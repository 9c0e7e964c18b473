import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { createLogger } from '@switchboard/core';
import { createTestClickHouse, createTestDatabase } from '@switchboard/core/testing';
import { computeMetrics } from '../src/metrics/compute-metrics.js';
import { REFRESH_ALL_DERIVED_TABLES } from '../src/metrics/definitions/storage.js';
import { filtersSchema } from '../src/metrics/filters.js';
import { enqueueEvents } from '@switchboard/events';
import { createShipper, insertEventLines } from '../src/shipper/shipper.js';
import { toInsertRow } from '@switchboard/events';
import { analyticsEventSchema, type AnalyticsEventInput } from '@switchboard/events';
import {
  clickhouseInsert,
  postgresInsert,
  POSTGRES_CONVERSATIONS,
  POSTGRES_SCHEMA,
} from './generate-events.js';
import { postgresMetrics, type PgFilters } from './postgres-metrics.js';

/**
 * Analytics benchmark (issue 9):
 * 1. events shipped per second, outbox (PostgreSQL) → shipper → ClickHouse, target ≥ 50,000/s,
 *    beside the raw ClickHouse insert rate (BENCH_SHIP_ONLY=1 runs only this part);
 * 2. GET /api/metrics (computeMetrics, all its queries) p50/p95 over BENCH_EVENTS (10M) events
 *    generated inside ClickHouse, target < 300 ms each;
 * 3. the same metrics in PostgreSQL over the same rows (BENCH_DATABASE_URL / TEST_DATABASE_URL:
 *    a real server, the full N; otherwise PGlite with a smaller N, said in the output).
 */
const N = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const N_SHIP = Number(process.env.BENCH_SHIP_EVENTS ?? 200_000);
const RUNS = 15;
const SHIPPERS = Number(process.env.BENCH_SHIPPERS ?? 2);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

async function time<T>(runs: number, fn: () => Promise<T>): Promise<{ p50: number; p95: number; last: T }> {
  let last = await fn(); // warm-up (caches, plans)
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    last = await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95), last };
}

function syntheticEvent(i: number): AnalyticsEventInput {
  const base = {
    id: randomUUID(),
    occurredAt: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
    accountId: 1,
    conversationId: Math.floor(i / 20),
    inboxId: 7,
    assistant: 'sales',
    channel: 'whatsapp' as const,
    customerId: Math.floor(i / 20),
    customerPhone: '+5511987654321',
  };
  if (i % 4 === 1) {
    return {
      ...base,
      costUsd: '0.000412',
      costKind: 'model',
      type: 'model_call',
      payload: {
        provider: 'openai',
        model: 'gpt-4.1-mini',
        latencyMs: 800,
        outcome: 'ok',
        usage: { inputTokens: 1200, outputTokens: 90 },
        costByKind: { input: '0.00048' },
        priceVersion: 'bench',
      },
    };
  }
  if (i % 4 === 2) {
    return {
      ...base,
      type: 'turn',
      payload: {
        turnId: `t${i}`,
        customerMessageIds: [i],
        mergedMessages: 1,
        firstCustomerMessageAt: base.occurredAt,
        replyAcceptedAt: base.occurredAt,
        latencyMs: 2500,
        outcome: 'replied',
      },
    };
  }
  return {
    ...base,
    type: 'message',
    payload: {
      messageId: i,
      direction: i % 4 === 0 ? 'inbound' : 'outbound',
      author: i % 4 === 0 ? 'customer' : 'ai',
      contentType: 'text',
      text: 'Olá, quanto custa o plano anual com desconto?',
    },
  };
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));

export default async function (): Promise<void> {
  if (process.env.BENCH_DATABASE_URL && !process.env.TEST_DATABASE_URL)
    process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL;
  const realPg = Boolean(process.env.TEST_DATABASE_URL);
  const logger = createLogger({ level: 'warn', format: 'json', name: 'bench' });
  const db = await createTestDatabase({ poolSize: 8 });
  const shipCh = await createTestClickHouse();
  const ch = await createTestClickHouse();
  try {
    // 1. Shipping.
    const events = Array.from({ length: N_SHIP }, (_, i) => syntheticEvent(i));
    for (let i = 0; i < events.length; i += 5000) await enqueueEvents(db.pool, events.slice(i, i + 5000));
    const shipOptions = {
      enabled: true,
      batchSize: 10_000,
      idleIntervalMs: 10,
      leaseSeconds: 120,
      maxBackoffMs: 1000,
      retainShippedHours: 0,
    };
    // Shipping loops, as a deployment runs them (createShipper's start() runs 2 by default): one's
    // PostgreSQL work overlaps another's insert.
    const shippers = Array.from({ length: SHIPPERS }, () =>
      createShipper({ db, clickhouse: shipCh, logger, options: shipOptions }),
    );
    let t = performance.now();
    let shipped = 0;
    await Promise.all(
      shippers.map(async (s) => {
        for (let r = await s.shipOnce(); r.batchId; r = await s.shipOnce()) shipped += r.shipped;
      }),
    );
    const shipMs = performance.now() - t;
    const shippedInCh = Number(
      (
        await (
          await shipCh.client.query({ query: 'SELECT count() AS n FROM events', format: 'JSONEachRow' })
        ).json<{ n: string }>()
      )[0]!.n,
    );
    // Baseline: the same events under new ids, straight into ClickHouse, 10,000 a block, one
    // insert at a time: (a) the shipper's raw JSONEachRow text path, (b) the client's object insert.
    const rows = events.map((e) => toInsertRow(analyticsEventSchema.parse({ ...e, id: randomUUID() })));
    const texts: string[] = [];
    for (let i = 0; i < rows.length; i += 10_000)
      texts.push(
        `${rows
          .slice(i, i + 10_000)
          .map((r) => JSON.stringify(r))
          .join('\n')}\n`,
      );
    t = performance.now();
    for (const text of texts) await insertEventLines(ch.client, text, randomUUID(), 10_000);
    const rawMs = performance.now() - t;
    await ch.client.command({ query: 'TRUNCATE TABLE events' });
    await ch.client.command({ query: 'TRUNCATE TABLE conversation_events' });
    await ch.client.command({ query: 'TRUNCATE TABLE conversation_totals' });
    await ch.client.command({ query: 'TRUNCATE TABLE event_days' });
    const fresh = rows.map((r) => ({ ...r, id: randomUUID() }));
    t = performance.now();
    for (let i = 0; i < fresh.length; i += 10_000)
      await ch.client.insert({ table: 'events', values: fresh.slice(i, i + 10_000), format: 'JSONEachRow' });
    const insertMs = performance.now() - t;
    await ch.client.command({ query: 'TRUNCATE TABLE events' });
    await ch.client.command({ query: 'TRUNCATE TABLE conversation_events' });
    await ch.client.command({ query: 'TRUNCATE TABLE conversation_totals' });
    await ch.client.command({ query: 'TRUNCATE TABLE event_days' });
    const printShipping = () => {
      console.log(
        `\nShipping: ${N_SHIP.toLocaleString()} events (${shippedInCh.toLocaleString()} in ClickHouse afterwards), outbox on ${realPg ? 'PostgreSQL 15 server' : 'PGlite'}, ClickHouse = ${shipCh.mode === 'local' ? 'chdb in-process' : 'server'}, ${SHIPPERS} shipping loops, batch 10,000. Load average now ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' / ')} on ${os.cpus().length} cores.`,
      );
      console.log('| measure | events/s | target | met |');
      console.log('|---|---|---|---|');
      console.log(
        `| outbox → ClickHouse, end to end (claim, insert, mark) | ${rate(shipped, shipMs).toLocaleString()} | ≥ 50,000 | ${rate(shipped, shipMs) >= 50_000 ? 'yes' : 'NO'} |`,
      );
      console.log(
        `| baseline: ClickHouse insert alone, same JSONEachRow text path, 10,000/insert, one at a time | ${rate(rows.length, rawMs).toLocaleString()} | - | - |`,
      );
      console.log(
        `| baseline: ClickHouse insert alone, client object insert (the old shipper's path) | ${rate(rows.length, insertMs).toLocaleString()} | - | - |`,
      );
    };
    if (process.env.BENCH_SHIP_ONLY) {
      // BENCH_SHIP_ONLY=1: only the shipping part (seconds, instead of minutes for the 10M metrics).
      printShipping();
      return;
    }

    // 2. 10M events in ClickHouse.
    t = performance.now();
    await ch.client.command({
      query: clickhouseInsert(N),
      clickhouse_settings: { max_insert_threads: '2', max_threads: '2' } as never,
    });
    const genMs = performance.now() - t;
    // As the shipper does after each batch (here once for all): the derived tables the API reads
    // (conversation_totals, response_events, event_days) follow the events; then the parts are
    // merged, as background merges do (metrics-api.bench.ts prints the figure before the merge).
    t = performance.now();
    for (const query of REFRESH_ALL_DERIVED_TABLES) await ch.client.command({ query });
    for (const table of [
      'events',
      'conversation_events',
      'conversation_totals',
      'response_events',
      'event_days',
    ])
      await ch.client.command({ query: `OPTIMIZE TABLE ${table} FINAL` });
    const derivedMs = performance.now() - t;
    const parts = await (
      await ch.client.query({
        query:
          'SELECT table, count() AS parts, sum(rows) AS rows FROM system.parts WHERE database = currentDatabase() AND active GROUP BY table ORDER BY table',
        format: 'JSONEachRow',
      })
    ).json<{ table: string; parts: number; rows: number }>();

    const month = { from: '2026-09-01', to: '2026-10-01' };
    const scenarios: {
      name: string;
      query: Record<string, string>;
      bucket?: 'day';
      pg: Omit<PgFilters, 'accountId'> | null;
    }[] = [
      {
        name: '30 days, no filter',
        query: month,
        pg: { from: new Date('2026-09-01Z'), to: new Date('2026-10-01Z') },
      },
      {
        name: '30 days, channel + assistant',
        query: { ...month, channel: 'whatsapp', assistant: 'sales' },
        pg: {
          from: new Date('2026-09-01Z'),
          to: new Date('2026-10-01Z'),
          channels: ['whatsapp'],
          assistants: ['sales'],
        },
      },
      {
        name: '30 days, phone contains 0001234',
        query: { ...month, customer: '0001234' },
        pg: { from: new Date('2026-09-01Z'), to: new Date('2026-10-01Z'), customer: '0001234' },
      },
      {
        name: 'all 90 days, no filter',
        query: { from: '2026-08-01', to: '2026-11-01' },
        pg: { from: new Date('2026-08-01Z'), to: new Date('2026-11-01Z') },
      },
      { name: '30 days, daily series', query: month, bucket: 'day', pg: null },
    ];
    const chResults: { p50: number; p95: number; last: Awaited<ReturnType<typeof computeMetrics>> }[] = [];
    for (const s of scenarios) {
      const filters = filtersSchema.parse(s.query);
      chResults.push(await time(RUNS, () => computeMetrics(ch, 1, filters, s.bucket)));
    }

    // 3. PostgreSQL over the same rows.
    const nPg = realPg ? N : Math.min(N, 1_000_000);
    await db.pool.query(POSTGRES_SCHEMA);
    t = performance.now();
    for (let from = 0; from < nPg; from += 1_000_000)
      await db.pool.query(postgresInsert(from, Math.min(nPg, from + 1_000_000)));
    await db.pool.query(POSTGRES_CONVERSATIONS);
    const pgGenMs = performance.now() - t;
    const pgResults: ({ p50: number; p95: number; last: Record<string, unknown> } | null)[] = [];
    for (const s of scenarios)
      pgResults.push(
        s.pg ? await time(realPg ? 5 : 3, () => postgresMetrics(db.pool, { accountId: 1, ...s.pg! })) : null,
      );

    const c0 = chResults[0]!.last;
    const p0 = pgResults[0]!.last;
    const agree =
      nPg === N &&
      c0.conversations.total === p0.conversations &&
      c0.responses.customerMessages === p0.customerMessages &&
      c0.responses.answeredByAi === p0.answered &&
      c0.responses.p50ResponseMs === Math.round(Number(p0.p50)) &&
      c0.responses.p95ResponseMs === Math.round(Number(p0.p95));

    console.log(
      `\nMachine: ${os.cpus().length} cores, load average at the end ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')} (other work on the machine inflates every figure below).`,
    );
    printShipping();
    console.log(
      `\nMetrics over ${N.toLocaleString()} events generated in ClickHouse in ${(genMs / 1000).toFixed(1)} s, derived tables recomputed and parts merged in ${(derivedMs / 1000).toFixed(1)} s (${parts.map((p) => `${p.table}: ${Number(p.rows).toLocaleString()} rows / ${p.parts} parts`).join('; ')}).`,
    );
    console.log(
      `PostgreSQL baseline: ${realPg ? 'PostgreSQL server (TEST_DATABASE_URL/BENCH_DATABASE_URL)' : 'PGlite (no server URL set)'}, ${nPg.toLocaleString()} events${nPg < N ? ` (SMALLER than ClickHouse's ${N.toLocaleString()}: the first ${nPg.toLocaleString()} rows of the same generator)` : ' (same rows)'}, an events table + a per-conversation table, B-tree indexes on (account, time); loaded in ${(pgGenMs / 1000).toFixed(1)} s.`,
    );
    console.log(
      `Each figure: GET /api/metrics work for account 1 (computeMetrics: 5 queries on ClickHouse, 6 on PostgreSQL, issued in parallel), ${RUNS} timed runs after a warm-up (PostgreSQL: ${realPg ? 5 : 3}).`,
    );
    console.log(
      '| scenario | ClickHouse p50 | ClickHouse p95 | PostgreSQL p50 | PostgreSQL p95 | PG / CH (p50) | target < 300 ms met |',
    );
    console.log('|---|---|---|---|---|---|---|');
    scenarios.forEach((s, i) => {
      const c = chResults[i]!;
      const p = pgResults[i];
      console.log(
        `| ${s.name} | ${fmt(c.p50)} | ${fmt(c.p95)} | ${p ? fmt(p.p50) : 'not run'} | ${p ? fmt(p.p95) : '-'} | ${p ? `${(p.p50 / c.p50).toFixed(1)}×` : '-'} | ${c.p95 < 300 ? 'yes' : 'NO'} |`,
      );
    });
    console.log(
      nPg === N
        ? `Answers agree between ClickHouse and PostgreSQL (conversations, customer messages, answered, p50, p95 of scenario 1): ${agree ? 'yes' : 'NO'} (CH ${c0.conversations.total} conv, ${c0.responses.customerMessages} customer messages, ${c0.responses.answeredByAi} answered, p50 ${c0.responses.p50ResponseMs} / p95 ${c0.responses.p95ResponseMs} ms; PG ${p0.conversations}, ${p0.customerMessages}, ${p0.answered}, ${Math.round(Number(p0.p50))} / ${Math.round(Number(p0.p95))} ms)`
        : 'Answers not compared: PostgreSQL holds fewer rows.',
    );
  } finally {
    await db.pool
      .query('DROP TABLE IF EXISTS bench_events; DROP TABLE IF EXISTS bench_conversations')
      .catch(() => undefined);
    await Promise.all([db.drop(), shipCh.drop(), ch.drop()]);
  }
}
