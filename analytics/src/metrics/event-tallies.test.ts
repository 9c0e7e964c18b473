import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClickHouse, type TestClickHouse } from '@switchboard/core/testing';
import { analyticsEventSchema, toInsertRow, type AnalyticsEvent } from '@switchboard/events';
import { insertEventLines } from '../shipper/shipper.js';
import { envelope, knowledgeSearchEvent, modelCallEvent } from '../testing/event-factory.js';
import { EVENTS, EventMetric as E, KNOWLEDGE_MISS } from './definitions/index.js';
import { computeEventTallies, wholeDays, type EventTallies } from './event-tallies.js';
import { buildFilter, filtersSchema } from './filters.js';

/**
 * The knowledge, model-call and account-level figures read whole days from event_days (migration
 * 0005) and partial days from events. Each case compares them with the same figures computed over
 * `events FINAL` alone, as the API did before, on events spread over four days with both edges
 * of the ranges inside a day.
 */
let ch: TestClickHouse;

const DAYS = ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04'];
const TIMES = ['00:00:00.000', '00:00:00.001', '07:15:30.250', '12:00:00.000', '23:59:59.999'];

function modelCall(occurredAt: string, i: number): AnalyticsEvent {
  const base = modelCallEvent({
    occurredAt,
    conversationId: 100 + (i % 5),
    costUsd: `0.000${(i % 9) + 1}23`,
    model: ['gpt-4.1-mini', 'claude-haiku', 'gemini-flash'][i % 3],
    channel: i % 4 === 0 ? 'web' : 'whatsapp',
    assistant: i % 3 === 0 ? 'support' : 'sales',
    inboxId: 7 + (i % 2),
  });
  const outcome = ['ok', 'ok', 'error', 'timeout', 'aborted', 'rate_limited'][i % 6];
  return analyticsEventSchema.parse({ ...base, payload: { ...base.payload, outcome, latencyMs: 100 + i } });
}

function accountLevel(occurredAt: string, i: number): AnalyticsEvent {
  if (i % 2 === 0)
    return analyticsEventSchema.parse({
      ...envelope({ occurredAt, conversationId: null, customerId: null, customerPhone: null }),
      costKind: 'embedding',
      costUsd: `0.00000${(i % 7) + 1}`,
      type: 'embedding',
      payload: {
        provider: 'openai',
        model: 'text-embedding-3-small',
        knowledgeBase: 'faq',
        inputs: 3,
        tokens: 300,
        latencyMs: 40,
        outcome: 'ok',
        priceVersion: 'test-1',
      },
    });
  return analyticsEventSchema.parse({
    ...envelope({ occurredAt, conversationId: null, costUsd: '0.0141', costKind: 'whatsapp' }),
    type: 'template_sent',
    payload: {
      messageId: null,
      template: 'we_miss_you',
      language: 'en',
      category: 'marketing',
      priceVersion: 't',
    },
  });
}

function dataSet(): AnalyticsEvent[] {
  const events: AnalyticsEvent[] = [];
  let i = 0;
  for (const day of DAYS)
    for (const time of TIMES) {
      const at = `${day}T${time}Z`;
      events.push(modelCall(at, i), modelCall(at, i + 1), accountLevel(at, i));
      const question = ['  Do you ship to Ireland?', 'do you ship to ireland?', 'Opening hours', 'Refunds?'][
        i % 4
      ]!;
      events.push(
        knowledgeSearchEvent(i % 3 === 0 ? 'hit' : 'miss', question, {
          occurredAt: at,
          channel: i % 2 === 0 ? 'whatsapp' : 'web',
          assistant: 'sales',
          customerPhone: i % 2 === 0 ? '+447700900123' : '+5511987654321',
        }),
      );
      i += 1;
    }
  // Another account's events on the same days never count.
  events.push(modelCall('2026-11-02T10:00:00.000Z', 99), {
    ...modelCall('2026-11-02T10:00:00.000Z', 7),
    accountId: 2,
  });
  return events;
}

async function ship(events: AnalyticsEvent[]): Promise<void> {
  const body = events.map((e) => JSON.stringify(toInsertRow(e))).join('\n');
  await insertEventLines(ch.client, body, randomUUID(), 10_000);
}

/** The same figures over `events FINAL` only (the definitions' conditions, no event_days). */
async function byEvents(filters: ReturnType<typeof filtersSchema.parse>): Promise<EventTallies> {
  const ev = buildFilter(1, filters, 'occurred_at');
  const q = async <T>(query: string) =>
    (await ch.client.query({ query, query_params: ev.params, format: 'JSONEachRow' })).json<T>();
  const [k] = await q<{ searches: string; misses: string }>(
    `SELECT count() AS searches, countIf(${KNOWLEDGE_MISS}) AS misses FROM ${EVENTS}
      WHERE ${ev.where} AND type = 'knowledge_search'`,
  );
  const models = await q<{
    model: string;
    cost: string;
    calls: string;
    errors: string;
    timeouts: string;
    latency: string;
  }>(
    `SELECT model, toString(sum(cost_usd)) AS cost, count() AS calls, ${E.failedCalls} AS errors,
            ${E.timeouts} AS timeouts, sum(ifNull(latency_ms, 0)) AS latency
       FROM ${EVENTS} WHERE ${ev.where} AND type = 'model_call' GROUP BY model ORDER BY model`,
  );
  const missed = await q<{ query: string; n: string }>(
    `SELECT ${E.missedQuery} AS query, count() AS n FROM ${EVENTS}
      WHERE ${ev.where} AND type = 'knowledge_search' AND ${KNOWLEDGE_MISS}
      GROUP BY query ORDER BY n DESC, query LIMIT 10`,
  );
  const [account] = await q<{ cost: string; templates: string }>(
    `SELECT toString(sumIf(cost_usd, cost_usd != 0)) AS cost, countIf(type = 'template_sent') AS templates
      FROM ${EVENTS} WHERE ${ev.where} AND conversation_id = 0 AND (cost_usd != 0 OR type = 'template_sent')`,
  );
  return {
    searches: Number(k!.searches),
    misses: Number(k!.misses),
    topMissedQueries: missed.map((m) => ({ query: m.query, n: Number(m.n) })),
    models: models.map((m) => ({
      model: m.model,
      cost: m.cost.includes('.') ? m.cost.replace(/\.?0+$/, '') : m.cost,
      calls: Number(m.calls),
      errors: Number(m.errors),
      timeouts: Number(m.timeouts),
      latency: Number(m.latency),
    })),
    accountLevelCost: account!.cost.includes('.')
      ? account!.cost.replace(/\.?0+$/, '') || '0'
      : account!.cost,
    accountLevelTemplates: Number(account!.templates),
  };
}

const sorted = (t: EventTallies): EventTallies => ({
  ...t,
  models: [...t.models].sort((a, b) => (a.model < b.model ? -1 : 1)),
});

const RANGES: Record<string, Record<string, string>> = {
  'whole days': { from: '2026-11-01', to: '2026-11-05' },
  'both edges inside a day, odd milliseconds': {
    from: '2026-11-01T00:00:00.001Z',
    to: '2026-11-04T23:59:59.999Z',
  },
  'one whole day between two partial ones': {
    from: '2026-11-01T12:00:00.000Z',
    to: '2026-11-03T07:15:30.250Z',
  },
  'within one day (no whole day)': { from: '2026-11-02T00:00:00.001Z', to: '2026-11-02T23:59:59.999Z' },
  'channel, assistant and inbox': {
    from: '2026-10-31T18:00:00Z',
    to: '2026-11-04T12:00:00Z',
    channel: 'whatsapp',
    assistant: 'sales',
    inbox: '7',
  },
  'phone number (read from events only)': { from: '2026-11-01', to: '2026-11-05', customer: '447700' },
};

beforeAll(async () => {
  ch = await createTestClickHouse();
  const events = dataSet();
  // Two batches, as two shipper runs, the second touching days the first did.
  await ship(events.filter((_, i) => i % 2 === 0));
  await ship(events.filter((_, i) => i % 2 === 1));
});
afterAll(async () => ch?.drop());

describe('event tallies (knowledge searches, model calls, account-level costs)', () => {
  it('reads whole UTC days from event_days and nothing from it when a phone filter is set', () => {
    const f = (q: Record<string, string>) => filtersSchema.parse(q);
    expect(wholeDays(f(RANGES['both edges inside a day, odd milliseconds']!))).toEqual({
      from: new Date('2026-11-02T00:00:00Z'),
      to: new Date('2026-11-04T00:00:00Z'),
    });
    expect(wholeDays(f(RANGES['within one day (no whole day)']!))).toBeNull();
    expect(wholeDays(f(RANGES['phone number (read from events only)']!))).toBeNull();
  });

  for (const [name, query] of Object.entries(RANGES))
    it(`equal the figures over events alone: ${name}`, async () => {
      const filters = filtersSchema.parse(query);
      const tallies = await computeEventTallies(ch, 1, filters);
      expect(sorted(tallies)).toEqual(await byEvents(filters));
      expect(tallies.searches).toBeGreaterThan(0);
    });

  it('hand count over the whole days: 20 searches, 13 misses, grouped questions, 40 calls', async () => {
    const t = await computeEventTallies(ch, 1, filtersSchema.parse(RANGES['whole days']!));
    expect([t.searches, t.misses]).toEqual([20, 13]);
    // "  Do you ship to Ireland?" and "do you ship to ireland?" are one question.
    expect(t.topMissedQueries[0]!.query).toBe('do you ship to ireland?');
    expect(t.models.reduce((n, m) => n + m.calls, 0)).toBe(41); // 40 + account 1's extra call
    expect(t.accountLevelTemplates).toBe(10);
  });

  it('are unchanged by every row inserted again under another token, before and after merges', async () => {
    const before = await Promise.all(
      Object.values(RANGES).map((q) => computeEventTallies(ch, 1, filtersSchema.parse(q))),
    );
    const rows = await (
      await ch.client.query({ query: 'SELECT * FROM events WHERE account_id = 1', format: 'JSONEachRow' })
    ).json<Record<string, unknown>>();
    await insertEventLines(ch.client, rows.map((r) => JSON.stringify(r)).join('\n'), randomUUID(), 10_000);
    const again = () =>
      Promise.all(Object.values(RANGES).map((q) => computeEventTallies(ch, 1, filtersSchema.parse(q))));
    expect(await again()).toEqual(before);
    for (const table of ['events', 'event_days'])
      await ch.client.command({ query: `OPTIMIZE TABLE ${table} FINAL` });
    expect(await again()).toEqual(before);
  });

  it('follow a late event into a day already tallied', async () => {
    const filters = filtersSchema.parse(RANGES['whole days']!);
    const before = await computeEventTallies(ch, 1, filters);
    await ship([knowledgeSearchEvent('miss', 'Late question', { occurredAt: '2026-11-02T09:00:00.000Z' })]);
    const after = await computeEventTallies(ch, 1, filters);
    expect([after.searches, after.misses]).toEqual([before.searches + 1, before.misses + 1]);
    expect(sorted(after)).toEqual(await byEvents(filters));
  });
});
