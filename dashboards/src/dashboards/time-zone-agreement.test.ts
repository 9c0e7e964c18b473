import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClickHouse, type TestClickHouse } from '@switchboard/core/testing';
import type { AnalyticsEvent } from '@switchboard/events';
// The metrics API's own query function: its series in a zone must be the panels' buckets.
import { computeMetrics, filtersSchema } from '@switchboard/analytics';
import { alertDefinitions } from '../alerts/alert-rules.js';
import { DEFAULT_SETTINGS } from '../settings.js';
import { evaluateAlert } from '../testing/alert-evaluation.js';
import type { VariableValues } from '../testing/grafana-interpolation.js';
import { PanelRunner } from '../testing/panel-runner.js';
import { conversationEvents, seedDataSet } from '../testing/seed-data-set.js';
import { allVariables } from '../testing/variable-scenarios.js';
import { costDashboard } from './cost-dashboard.js';
import { latencyDashboard } from './latency-dashboard.js';
import { overviewDashboard } from './overview-dashboard.js';

/**
 * Day and week buckets in the account's zone (issue 19), counted by hand.
 *
 * Account 1, America/Sao_Paulo (UTC−3 all year). Local days start at 03:00 UTC.
 *
 * | conv | first customer message (UTC) | local (São Paulo)    | reply   | extra     | UTC day |
 * |------|------------------------------|----------------------|---------|-----------|---------|
 * | 1    | 2026-11-03 01:30             | Mon 11-02 22:30      | 2000 ms |           | 11-03   |
 * | 2    | 2026-11-03 12:00             | Tue 11-03 09:00      | 4000 ms | handoff   | 11-03   |
 * | 3    | 2026-11-04 02:59:59          | Tue 11-03 23:59:59   | 6000 ms |           | 11-04   |
 * | 4    | 2026-11-04 03:00             | Wed 11-04 00:00      | none    |           | 11-04   |
 * | 5    | 2026-11-09 01:30             | Sun 11-08 22:30      | 1000 ms |           | 11-09   |
 *
 * Days Mon/Tue/Wed: conversations 1/2/1, customer messages 1/2/1, answered 1/2/0, handoff rate
 * 0/0.5/0, p95 2000 / 4000 + 0.95 × 2000 = 5900 / none. Weeks from Monday: all five in the week
 * of 11-02 (5 is Sunday there; in UTC it is Monday 11-09, the next week).
 *
 * Account 2, America/New_York, across the end of daylight saving (Sun 2026-11-01 02:00 EDT →
 * 01:00 EST): Oct 31 starts 04:00 UTC, Nov 1 at 04:00 UTC and lasts 25 hours, Nov 2 at 05:00.
 *
 * | conv | first customer message (UTC) | local (New York)      | reply   | cost (at)                              |
 * |------|------------------------------|-----------------------|---------|----------------------------------------|
 * | 21   | 2026-11-01 03:30             | Sat 10-31 23:30 EDT   | 1000 ms | 0.02 (03:30:01); 0.04 (11-01 04:15 = Nov 1 00:15 EDT) |
 * | 22   | 2026-11-02 04:30             | Sun 11-01 23:30 EST   | 3000 ms | 0.01 (04:30:02)                        |
 * | 23   | 2026-11-02 05:00             | Mon 11-02 00:00 EST   | none    |                                        |
 *
 * Days Oct 31 / Nov 1 / Nov 2: one conversation each; customer messages 1/1/1, answered 1/1/0.
 * Spend by local day: Oct 31 0.02, Nov 1 0.05, Nov 2 0 (cumulative 0.02, 0.07, 0.07; budget 50 a
 * day: 50, 100, 150). At 2026-11-02 04:45 UTC
 * (Nov 1 23:45 EST) the spend "today" is 0.05: 0.04 of it in the day's first hour, 24 h 30 min ago.
 */
const SAO_PAULO = 'America/Sao_Paulo';
const NEW_YORK = 'America/New_York';
let ch: TestClickHouse;

function dataSet(): AnalyticsEvent[] {
  const events: AnalyticsEvent[] = [];
  const conversation = (accountId: number, conversationId: number) =>
    conversationEvents(
      { accountId, conversationId, channel: 'whatsapp', assistant: 'sales', customerPhone: '+5511900000000' },
      events,
    );
  const replied = (accountId: number, id: number, at: string, latencyMs: number | null) => {
    const c = conversation(accountId, id);
    c.message(at, 'customer');
    if (latencyMs === null) return c;
    const accepted = new Date(Date.parse(at) + latencyMs).toISOString();
    c.turn(accepted, latencyMs);
    c.message(accepted, 'ai');
    return c;
  };
  replied(1, 1, '2026-11-03T01:30:00.000Z', 2000);
  replied(1, 2, '2026-11-03T12:00:00.000Z', 4000).handoff('2026-11-03T12:05:00.000Z', 'customer_request');
  replied(1, 3, '2026-11-04T02:59:59.000Z', 6000);
  replied(1, 4, '2026-11-04T03:00:00.000Z', null);
  replied(1, 5, '2026-11-09T01:30:00.000Z', 1000);
  const c21 = replied(2, 21, '2026-11-01T03:30:00.000Z', 1000);
  c21.modelCall('2026-11-01T03:30:01.000Z', '0.02');
  c21.modelCall('2026-11-01T04:15:00.000Z', '0.04');
  replied(2, 22, '2026-11-02T04:30:00.000Z', 3000).modelCall('2026-11-02T04:30:02.000Z', '0.01');
  replied(2, 23, '2026-11-02T05:00:00.000Z', null);
  return events;
}

beforeAll(async () => {
  ch = await createTestClickHouse();
  await seedDataSet(ch, dataSet());
});
afterAll(async () => {
  await ch?.drop();
});

const DAY_MS = 86_400_000;
const run = (account: string, zone: string, from: string, to: string, intervalMs = DAY_MS) => ({
  from: new Date(from),
  to: new Date(to),
  intervalMs,
  variables: allVariables({ account: { value: [account] }, timezone: { value: zone } }) as VariableValues,
});
const api = (account: number, zone: string, from: string, to: string, bucket: 'day' | 'week' = 'day') =>
  computeMetrics(ch, account, filtersSchema.parse({ from, to }), bucket, zone);

/** A panel's rows summed per bucket time, as ISO instants. */
async function perBucket(runner: PanelRunner, title: string, column: string, query: ReturnType<typeof run>) {
  const out = new Map<string, number>();
  for (const row of await runner.rows<Record<string, unknown>>(title, query)) {
    const time = new Date(String(row.time)).toISOString();
    out.set(time, (out.get(time) ?? 0) + Number(row[column]));
  }
  return Object.fromEntries(out);
}

describe('day and week buckets in the account zone: panels, API and a hand count agree', () => {
  const overview = () => new PanelRunner(ch, overviewDashboard());
  const latency = () => new PanelRunner(ch, latencyDashboard());
  const MON = '2026-11-02T03:00:00.000Z';
  const TUE = '2026-11-03T03:00:00.000Z';
  const WED = '2026-11-04T03:00:00.000Z';
  const THU = '2026-11-05T03:00:00.000Z';

  it('São Paulo days: a message at 01:30 UTC counts on the previous local day', async () => {
    const query = run('1', SAO_PAULO, MON, THU);
    const byDay = { [MON]: 1, [TUE]: 2, [WED]: 1 };
    expect(await perBucket(overview(), 'Conversations started, by channel', 'conversations', query)).toEqual(
      byDay,
    );
    const m = await api(1, SAO_PAULO, MON, THU);
    expect(m.series!.map((p) => [p.bucket, p.conversations])).toEqual(Object.entries(byDay));
    expect(m.series!.map((p) => [p.customerMessages, p.answeredByAi])).toEqual([
      [1, 1],
      [2, 2],
      [1, 0],
    ]);
    const rates = await overview().rows<{ time: string; handoff_rate: number }>(
      'Handoff and AI resolution rate',
      query,
    );
    expect(rates.map((r) => [new Date(r.time).toISOString(), r.handoff_rate])).toEqual([
      [MON, 0],
      [TUE, 0.5],
      [WED, 0],
    ]);
    expect(m.series!.map((p) => p.handoffConversations / p.conversations)).toEqual([0, 0.5, 0]);
    const p95 = await latency().rows<{ time: string; p95: number }>('Response time percentiles', query);
    expect(p95.map((r) => [new Date(r.time).toISOString(), r.p95 * 1000])).toEqual([
      [MON, 2000],
      [TUE, 5900],
    ]);
    expect(m.series!.map((p) => p.p95ResponseMs)).toEqual([2000, 5900, null]);
  });

  it('the same data in UTC keeps UTC days (the zone is what moves conversation 1 and 3)', async () => {
    const query = run('1', 'UTC', '2026-11-03T00:00:00Z', '2026-11-05T00:00:00Z');
    expect(await perBucket(overview(), 'Conversations started, by channel', 'conversations', query)).toEqual({
      '2026-11-03T00:00:00.000Z': 2,
      '2026-11-04T00:00:00.000Z': 2,
    });
  });

  it('São Paulo weeks start on Monday 00:00 local: Sunday 22:30 stays in its week', async () => {
    const to = '2026-11-16T03:00:00.000Z';
    const weekly = run('1', SAO_PAULO, MON, to, 7 * DAY_MS);
    expect(await perBucket(overview(), 'Conversations started, by channel', 'conversations', weekly)).toEqual(
      {
        [MON]: 5,
      },
    );
    const m = await api(1, SAO_PAULO, MON, to, 'week');
    expect(m.series!.map((p) => [p.bucket, p.conversations])).toEqual([
      [MON, 5],
      ['2026-11-09T03:00:00.000Z', 0],
    ]);
  });

  it('New York days across the end of daylight saving (a 25-hour Sunday)', async () => {
    const OCT31 = '2026-10-31T04:00:00.000Z';
    const NOV1 = '2026-11-01T04:00:00.000Z';
    const NOV2 = '2026-11-02T05:00:00.000Z';
    const to = '2026-11-03T05:00:00.000Z';
    const query = run('2', NEW_YORK, OCT31, to);
    const byDay = { [OCT31]: 1, [NOV1]: 1, [NOV2]: 1 };
    expect(await perBucket(overview(), 'Conversations started, by channel', 'conversations', query)).toEqual(
      byDay,
    );
    const m = await api(2, NEW_YORK, OCT31, to);
    expect(m.series!.map((p) => [p.bucket, p.conversations, p.answeredByAi])).toEqual([
      [OCT31, 1, 1],
      [NOV1, 1, 1],
      [NOV2, 1, 0],
    ]);
    const burn = await new PanelRunner(ch, costDashboard()).rows<Record<string, unknown>>(
      'Budget burn',
      query,
    );
    expect(
      burn.map((r) => [
        new Date(String(r.time)).toISOString(),
        Math.round(Number(r.spent_usd) * 1e9) / 1e9,
        r.budget_usd,
      ]),
    ).toEqual([
      [OCT31, 0.02, 50],
      [NOV1, 0.07, 100],
      [NOV2, 0.07, 150],
    ]);
  });

  it('the daily-cost alert counts from midnight in the configured zone, all 25 hours of it', async () => {
    const rule = alertDefinitions({ ...DEFAULT_SETTINGS, timeZone: NEW_YORK }).find(
      (r) => r.uid === 'switchboard-daily-cost-budget',
    )!;
    const lastMinutes = await evaluateAlert(ch, rule, new Date('2026-11-02T04:45:00Z'));
    expect(lastMinutes.map((i) => Math.round(i.value * 1e9) / 1e9)).toEqual([0.05]);
    // In UTC the same moment is 04:45 on Nov 2: only 0.01 since its midnight.
    const utc = alertDefinitions(DEFAULT_SETTINGS).find((r) => r.uid === rule.uid)!;
    const utcNow = await evaluateAlert(ch, utc, new Date('2026-11-02T04:45:00Z'));
    expect(utcNow.map((i) => Math.round(i.value * 1e9) / 1e9)).toEqual([0.01]);
  });
});
