import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClickHouse, type TestClickHouse } from '@switchboard/core/testing';
import { analyticsEventSchema, toInsertRow, type AnalyticsEvent } from '@switchboard/events';
import { computeMetrics, filtersSchema } from '@switchboard/analytics';
import { REFRESH_ALL_DERIVED_TABLES } from '@switchboard/analytics/metric-definitions';
import { PanelRunner } from '../testing/panel-runner.js';
import { allVariables } from '../testing/variable-scenarios.js';
import { latencyDashboard } from './latency-dashboard.js';
import { overviewDashboard } from './overview-dashboard.js';

/**
 * The definitions of docs/metrics.md on a hand-computed table: one day, [2026-11-02, 2026-11-03),
 * account 1, assistant `sales`. Each conversation is one case:
 *
 * | conv | what happens                                                        | counts as |
 * |------|---------------------------------------------------------------------|-----------|
 * | 1    | message 10:00:00, AI reply after 2 s                               | owned, replied 2000 ms |
 * | 2    | message 11:00 (reply 1 s); handoff 11:05; message 11:10 (held); a   | 11:00 and 14:30 owned, replied 1000 and 3000 ms; |
 * |      | human at 11:20; hand-back 13:00; the bot answers 11:10 at 14:00     | 11:10 held: neither counted nor its 10,200,000 ms |
 * |      | (hold included); message 14:30, reply 3 s                           | handoff answered by a human after 900,000 ms |
 * | 3    | message 12:00, answered by a template 25 h later                   | owned, not answered (template, outside the window) |
 * | 4    | message 23:59:59.000, reply after 5 s (the next day)               | owned, replied 5000 ms (cohort: the message's day) |
 * | 5    | message at 00:00:00.000 (= from), reply 4 s; message at 11-03 00:00 | from is in: replied 4000 ms; to is out |
 * | 6    | message 23:59:59.999, never answered                               | owned, unanswered |
 * | 7    | humans-only inbox (no assistant), message 15:00                     | not the AI's: outside the rate |
 * | 8    | template re-engagement 16:00, the customer writes at 18:00          | re-engagement answered; the 18:00 message owned, unanswered |
 *
 * Owned customer messages 8, answered 5 → rate 0.625; response times 1000, 2000, 3000, 4000, 5000
 * ms → mean 3000, p50 3000, p95 4000 + 0.8 × 1000 = 4800. Conversations started in the range: 8
 * (5 starts at `from`). Conversations 1 and 2 are then inserted a second time under another
 * deduplication token: nothing changes.
 */
const FROM = '2026-11-02T00:00:00.000Z';
const TO = '2026-11-03T00:00:00.000Z';
let n = 0;
let ch: TestClickHouse;

function event(
  conversationId: number,
  type: string,
  at: string,
  payload: Record<string, unknown>,
  extra = {},
) {
  return analyticsEventSchema.parse({
    id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    occurredAt: at,
    accountId: 1,
    conversationId,
    inboxId: conversationId === 7 ? 12 : 7,
    assistant: conversationId === 7 ? null : 'sales',
    channel: 'whatsapp',
    customerPhone: `+55119000000${conversationId}`,
    type,
    payload,
    ...extra,
  });
}
const message = (c: number, at: string, author = 'customer') =>
  event(c, 'message', at, {
    messageId: ++n,
    direction: author === 'customer' ? 'inbound' : 'outbound',
    author,
    contentType: 'text',
    text: 'hello',
  });
/** A turn closed when its reply was accepted: first customer message at `at`, `latencyMs` later. */
const turn = (c: number, at: string, latencyMs: number, outcome = 'replied') => {
  const accepted = new Date(Date.parse(at) + latencyMs).toISOString();
  return event(c, 'turn', accepted, {
    turnId: `t${++n}`,
    customerMessageIds: [n],
    mergedMessages: 1,
    firstCustomerMessageAt: at,
    replyAcceptedAt: accepted,
    latencyMs,
    outcome,
  });
};
const day = (time: string) => `2026-11-02T${time}Z`;

function conversations(): AnalyticsEvent[][] {
  return [
    [message(1, day('10:00:00.000')), turn(1, day('10:00:00.000'), 2000)],
    [
      message(2, day('11:00:00.000')),
      turn(2, day('11:00:00.000'), 1000),
      event(2, 'handoff', day('11:05:00.000'), { reason: 'customer_request' }),
      message(2, day('11:10:00.000')),
      message(2, day('11:20:00.000'), 'human_agent'),
      event(2, 'conversation', day('13:00:00.000'), { change: 'status_changed', status: 'pending' }),
      turn(2, day('11:10:00.000'), 10_200_000),
      message(2, day('14:30:00.000')),
      turn(2, day('14:30:00.000'), 3000),
    ],
    [message(3, day('12:00:00.000')), turn(3, day('12:00:00.000'), 90_000_000, 'template')],
    [message(4, day('23:59:59.000')), turn(4, day('23:59:59.000'), 5000)],
    [message(5, FROM), turn(5, FROM, 4000), message(5, TO), turn(5, TO, 1000)],
    [message(6, day('23:59:59.999'))],
    [message(7, day('15:00:00.000'))],
    [
      event(8, 'template_sent', day('16:00:00.000'), {
        messageId: 801,
        template: 'come_back',
        language: 'en',
        category: 'marketing',
        priceVersion: 't',
      }),
      message(8, day('18:00:00.000')),
    ],
  ];
}

const all = conversations();
async function insert(events: AnalyticsEvent[], token: string) {
  await ch.client.insert({
    table: 'events',
    values: events.map(toInsertRow),
    format: 'JSONEachRow',
    clickhouse_settings: { insert_deduplication_token: token },
  });
  for (const query of REFRESH_ALL_DERIVED_TABLES) await ch.client.command({ query });
}

beforeAll(async () => {
  ch = await createTestClickHouse();
  await insert(all.flat(), 'first');
});
afterAll(async () => {
  await ch?.drop();
});

const overview = () => new PanelRunner(ch, overviewDashboard());
const latency = () => new PanelRunner(ch, latencyDashboard());
const run = (from: string, to: string) => ({
  from: new Date(from),
  to: new Date(to),
  intervalMs: 86_400_000,
  variables: allVariables({ account: { value: ['1'] } }),
});
async function current(runner: PanelRunner, title: string, from = FROM, to = TO) {
  const rows = await runner.rows<{ time: string; value: number | null }>(title, run(from, to));
  return rows.find((row) => row.time.startsWith(from.slice(0, 10)))?.value;
}

async function expectTable() {
  const m = await computeMetrics(ch, 1, filtersSchema.parse({ from: FROM, to: TO }));
  expect(m.responses).toEqual({
    customerMessages: 8,
    answeredByAi: 5,
    responseRate: 0.625,
    aiReplies: 5,
    avgResponseMs: 3000,
    p50ResponseMs: 3000,
    p95ResponseMs: 4800,
  });
  expect(m.conversations.total).toBe(8);
  expect(m.reengagements).toEqual({ templatesSent: 1, answered: 1, answerRate: 1 });
  expect(m.handoffs).toMatchObject({ conversations: 1, answeredByHuman: 1, avgTimeToHumanMs: 900_000 });
  // The panels say the same on the same range.
  expect(await current(overview(), 'Conversations')).toBe(8);
  expect(await current(overview(), 'Response rate')).toBeCloseTo(0.625, 10);
  expect(await current(overview(), 'Average response time')).toBeCloseTo(3, 10);
  expect(await current(latency(), 'p95 response time')).toBeCloseTo(4.8, 10);
}

describe('the metric definitions on a hand-computed day', () => {
  it('hold, late template, cohort, boundaries: API and panels agree with the table', async () => {
    await expectTable();
  });

  it('the same after conversations 1 and 2 are inserted again under another token', async () => {
    await insert([...all[0]!, ...all[1]!], 'second-shipper');
    await expectTable();
  });

  it('an empty range: counts are 0 and averages have no value, in the API and the panels alike', async () => {
    const from = '2026-12-01T00:00:00.000Z';
    const to = '2026-12-02T00:00:00.000Z';
    const m = await computeMetrics(ch, 1, filtersSchema.parse({ from, to }));
    expect(m.conversations.total).toBe(0);
    expect(m.responses.avgResponseMs).toBeNull();
    expect(await current(overview(), 'Conversations', from, to)).toBe(0);
    expect(await current(overview(), 'Average response time', from, to)).toBeNull();
    expect(await current(latency(), 'p95 response time', from, to)).toBeNull();
  });
});
