import os from 'node:os';
import type { ClickHouse } from '@switchboard/core';
import { createTestClickHouse } from '@switchboard/core/testing';
import { computeMetrics } from '../src/metrics/compute-metrics.js';
import { filtersSchema } from '../src/metrics/filters.js';
import { clickhouseInsert } from './generate-events.js';
import { refreshConversationTotals } from '../src/clickhouse/conversation-totals.js';
import { refreshEventDays } from '../src/clickhouse/event-days.js';

/**
 * GET /api/metrics speed (issue 19): every range up to 90 days over BENCH_EVENTS (10M) events,
 * p95 < 300 ms, each printed beside a plain `count()` over the same table and range in the same
 * run, so a loaded machine shows in both columns. BENCH_METRICS_ONLY=1 skips nothing else: this
 * file is the metrics part only (analytics.bench.ts has shipping and the PostgreSQL baseline).
 */
const N = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

async function time(runs: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await fn(); // warm-up
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95) };
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

/** One computeMetrics run with each query timed (its first words name it), slowest first. */
async function queryBreakdown(
  ch: Pick<ClickHouse, 'client'>,
  filters: ReturnType<typeof filtersSchema.parse>,
): Promise<{ query: string; ms: number }[]> {
  const timed: { query: string; ms: number }[] = [];
  // computeMetrics issues its queries at once: one at a time here, so each time is its own.
  let previous: Promise<unknown> = Promise.resolve();
  const client = {
    query: async (params: { query: string }) => {
      const turn = previous;
      let done!: () => void;
      previous = new Promise<void>((resolve) => (done = resolve));
      await turn;
      const started = performance.now();
      const result = await ch.client.query(params as Parameters<typeof ch.client.query>[0]);
      const json = await result.json();
      const from = /FROM\s+\(?\s*(?:SELECT[\s\S]*?FROM\s+)?(\w+)/.exec(params.query)?.[1] ?? '?';
      const what = params.query.replace(/\s+/g, ' ').trim().slice(7, 40);
      timed.push({ query: `${from}: ${what}…`, ms: performance.now() - started });
      done();
      return { json: async () => json };
    },
  } as unknown as ClickHouse['client'];
  await computeMetrics({ client }, 1, filters);
  return timed.sort((a, b) => b.ms - a.ms);
}

export default async function (): Promise<void> {
  const ch = await createTestClickHouse();
  try {
    const t = performance.now();
    await ch.client.command({
      query: clickhouseInsert(N),
      clickhouse_settings: { max_insert_threads: '2', max_threads: '2' } as never,
    });
    const genMs = performance.now() - t;
    const refreshStarted = performance.now();
    await refreshConversationTotals(ch.client, 'all');
    await refreshEventDays(ch.client, 'all');
    const refreshMs = performance.now() - refreshStarted;
    // The generator writes every part across all 90 days, so FINAL has to merge every range of
    // them: the figure before background merges is the worst case, printed apart below.
    const unmerged90 = await time(RUNS, () =>
      computeMetrics(ch, 1, filtersSchema.parse({ from: '2026-08-01', to: '2026-10-30' })),
    );
    const mergeStarted = performance.now();
    for (const table of [
      'events',
      'conversation_events',
      'conversation_totals',
      'response_events',
      'event_days',
    ])
      await ch.client.command({ query: `OPTIMIZE TABLE ${table} FINAL` });
    const mergeMs = performance.now() - mergeStarted;
    const scenarios: { name: string; query: Record<string, string>; bucket?: 'day' | 'week' }[] = [
      { name: '1 day', query: { from: '2026-09-15', to: '2026-09-16' } },
      { name: '7 days', query: { from: '2026-09-10', to: '2026-09-17' } },
      { name: '30 days', query: { from: '2026-09-01', to: '2026-10-01' } },
      {
        name: '30 days, channel + assistant',
        query: { from: '2026-09-01', to: '2026-10-01', channel: 'whatsapp', assistant: 'sales' },
      },
      {
        name: '30 days, phone contains 0001234',
        query: { from: '2026-09-01', to: '2026-10-01', customer: '0001234' },
      },
      { name: '30 days, daily series', query: { from: '2026-09-01', to: '2026-10-01' }, bucket: 'day' },
      { name: '90 days', query: { from: '2026-08-01', to: '2026-10-30' } },
      { name: '90 days, weekly series', query: { from: '2026-08-01', to: '2026-10-30' }, bucket: 'week' },
      {
        name: '90 days, phone contains 0001234',
        query: { from: '2026-08-01', to: '2026-10-30', customer: '0001234' },
      },
      {
        name: '90 days, odd milliseconds',
        query: { from: '2026-08-01T03:17:09.123Z', to: '2026-10-30T21:01:02.987Z' },
      },
    ];
    const results = [];
    for (const s of scenarios) {
      const filters = filtersSchema.parse(s.query);
      const api = await time(RUNS, () => computeMetrics(ch, 1, filters, s.bucket));
      const count = await time(RUNS, async () =>
        (
          await ch.client.query({
            query: `SELECT count() AS n FROM events WHERE account_id = 1
                      AND occurred_at >= {from:DateTime64(3)} AND occurred_at < {to:DateTime64(3)}`,
            query_params: {
              from: filters.from.toISOString().replace('T', ' ').replace('Z', ''),
              to: filters.to.toISOString().replace('T', ' ').replace('Z', ''),
            },
            format: 'JSONEachRow',
          })
        ).json(),
      );
      results.push({ s, api, count });
    }
    const breakdown = await queryBreakdown(ch, filtersSchema.parse({ from: '2026-08-01', to: '2026-10-30' }));
    console.log(
      `\nGET /api/metrics (computeMetrics, account 1) over ${N.toLocaleString()} events (generated in ${(genMs / 1000).toFixed(1)} s, ClickHouse = ${ch.mode === 'local' ? 'chdb in-process' : 'server'}), ${RUNS} runs after a warm-up; ${os.cpus().length} cores, load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')}.`,
    );
    console.log(
      `conversation_totals recomputed for all conversations in ${(refreshMs / 1000).toFixed(1)} s; parts merged (OPTIMIZE FINAL, what background merges reach) in ${(mergeMs / 1000).toFixed(1)} s. Before that merge, 90 days: API p50 ${fmt(unmerged90.p50)}, p95 ${fmt(unmerged90.p95)}. After it:`,
    );
    console.log(
      '| range | API p50 | API p95 | plain count() p50 | count() p95 | API / count() (p95) | p95 < 300 ms |',
    );
    console.log('|---|---|---|---|---|---|---|');
    for (const { s, api, count } of results)
      console.log(
        `| ${s.name} | ${fmt(api.p50)} | ${fmt(api.p95)} | ${fmt(count.p50)} | ${fmt(count.p95)} | ${(api.p95 / count.p95).toFixed(1)}× | ${api.p95 < 300 ? 'yes' : 'NO'} |`,
      );
    console.log(
      `Where the 90-day answer's time goes (one run, each query's own time; chdb runs them one after another): ${breakdown.map((b) => `${b.query} ${fmt(b.ms)}`).join('; ')}.`,
    );
  } finally {
    await ch.drop();
  }
}
