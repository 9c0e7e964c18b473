import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toInsertRow, type AnalyticsEvent } from '@switchboard/events';
import { createTestClickHouse, type TestClickHouse } from '@switchboard/core/testing';
import { insertEvents } from '../testing/seed-dataset.js';
import {
  conversationEvent,
  costEvent,
  handoffEvent,
  messageEvent,
  turnEvent,
} from '../testing/event-factory.js';
import { refreshConversationTotals } from '../clickhouse/conversation-totals.js';
import { refreshEventDays } from '../clickhouse/event-days.js';
import { computeMetrics } from './compute-metrics.js';
import { EventMetric as E, responseEvents } from './definitions/index.js';
import { buildFilter, filtersSchema } from './filters.js';

/**
 * The API reads response rows worked out when a conversation's totals are recomputed
 * (response_events, migration 0004). They must give what the definition, responseEvents() (the
 * join of every row to the ownership history at query time, which the panels read), gives: after
 * late events change who held a conversation or answer a handoff or template, after duplicate
 * rows, and for a hold that began more than the 30-day lookback before the range.
 */
const RANGE = { from: '2026-11-01', to: '2026-11-08' };
const at = (s: string) => `2026-${s}Z`;

let ch: TestClickHouse;
beforeAll(async () => {
  ch = await createTestClickHouse();
});
afterAll(async () => ch?.drop());

/** The five response figures straight from the definition (the join), for account 1. */
async function byDefinition(): Promise<Record<string, unknown>> {
  const filters = filtersSchema.parse(RANGE);
  const f = buildFilter(1, filters, 'counted_at');
  const rows = await (
    await ch.client.query({
      query: `SELECT ${E.customerMessages} AS customerMessages, ${E.answeredByAi} AS answeredByAi,
                ${E.aiReplies} AS aiReplies, ${E.averageResponseMs} AS avg
              FROM ${responseEvents({ account: '{account:Int64}', from: '{from:DateTime64(3)}', to: '{to:DateTime64(3)}' })}
              WHERE ${f.where}`,
      query_params: f.params,
      format: 'JSONEachRow',
    })
  ).json<Record<string, unknown>>();
  const r = rows[0]!;
  return {
    customerMessages: Number(r.customerMessages),
    answeredByAi: Number(r.answeredByAi),
    aiReplies: Number(r.aiReplies),
    avgResponseMs: Number(r.aiReplies) === 0 ? null : Math.round(Number(r.avg)),
  };
}

async function api() {
  const m = await computeMetrics(ch, 1, filtersSchema.parse(RANGE));
  const { customerMessages, answeredByAi, aiReplies, avgResponseMs } = m.responses;
  return {
    responses: { customerMessages, answeredByAi, aiReplies, avgResponseMs },
    reengagements: m.reengagements,
    answeredByHuman: m.handoffs.answeredByHuman,
    avgTimeToHumanMs: m.handoffs.avgTimeToHumanMs,
  };
}

// 920: message + 3 s reply; a handoff just before it arrives late (a human held it: not counted).
// 921: a handoff on 1 October, never handed back: beyond the 30-day lookback, so the 2 November
//      message and its 1 s reply count. 923: handoff, hand-back, then a message + 2 s reply: counted.
// 922: handoff on 2 November, a template on 3 November; the human's reply (5 min later) and the
//      customer's answer to the template (1 h later) arrive late.
const first: AnalyticsEvent[] = [
  messageEvent('customer', { conversationId: 920, occurredAt: at('11-02T10:00:00.000') }),
  turnEvent({ conversationId: 920, latencyMs: 3000, occurredAt: at('11-02T10:00:03.000') }),
  handoffEvent('keyword', { conversationId: 921, occurredAt: at('10-01T08:00:00.000') }),
  messageEvent('customer', { conversationId: 921, occurredAt: at('11-02T11:00:00.000') }),
  turnEvent({ conversationId: 921, latencyMs: 1000, occurredAt: at('11-02T11:00:01.000') }),
  handoffEvent('customer_request', { conversationId: 922, occurredAt: at('11-02T10:00:00.000') }),
  costEvent('whatsapp', { conversationId: 922, costUsd: '0.0125', occurredAt: at('11-03T09:00:00.000') }),
  handoffEvent('keyword', { conversationId: 923, occurredAt: at('11-04T09:00:00.000') }),
  conversationEvent('status_changed', 'pending', {
    conversationId: 923,
    occurredAt: at('11-04T09:30:00.000'),
  }),
  messageEvent('customer', { conversationId: 923, occurredAt: at('11-04T10:00:00.000') }),
  turnEvent({ conversationId: 923, latencyMs: 2000, occurredAt: at('11-04T10:00:02.000') }),
];
const late: AnalyticsEvent[] = [
  handoffEvent('keyword', { conversationId: 920, occurredAt: at('11-02T09:59:00.000') }),
  messageEvent('human_agent', { conversationId: 922, occurredAt: at('11-02T10:05:00.000') }),
  messageEvent('customer', { conversationId: 922, occurredAt: at('11-03T10:00:00.000') }),
];

describe('stored response rows (response_events)', () => {
  it('give the definition’s figures before late events', async () => {
    await insertEvents(ch, first);
    const now = await api();
    expect(now.responses).toEqual(await byDefinition());
    expect(now.responses).toEqual({
      customerMessages: 3,
      answeredByAi: 3,
      aiReplies: 3,
      avgResponseMs: 2000,
    });
    expect(now.reengagements).toEqual({ templatesSent: 1, answered: 0, answerRate: 0 });
    expect([now.answeredByHuman, now.avgTimeToHumanMs]).toEqual([0, null]);
  });

  it('follow late events once the conversations are recomputed', async () => {
    await insertEvents(ch, late);
    const now = await api();
    expect(now.responses).toEqual(await byDefinition());
    // 920 was held (its message and reply leave); 922's new customer message was written while a
    // human held it (not the AI's): 921 and 923 remain.
    expect(now.responses).toEqual({
      customerMessages: 2,
      answeredByAi: 2,
      aiReplies: 2,
      avgResponseMs: 1500,
    });
    expect(now.reengagements).toEqual({ templatesSent: 1, answered: 1, answerRate: 1 });
    expect([now.answeredByHuman, now.avgTimeToHumanMs]).toEqual([1, 300_000]);
  });

  it('are unchanged by every row inserted again and recomputed again', async () => {
    const before = await api();
    // One block of both batches (a different block: not dropped by the insert deduplication).
    await ch.client.insert({
      table: 'events',
      values: [...first, ...late].map(toInsertRow),
      format: 'JSONEachRow',
    });
    await refreshConversationTotals(ch.client, 'all');
    await refreshConversationTotals(ch.client, new Map([[1, new Set([920, 922])]]));
    await refreshEventDays(ch.client, 'all');
    expect(await api()).toEqual(before);
    for (const table of [
      'events',
      'conversation_events',
      'conversation_totals',
      'response_events',
      'event_days',
    ])
      await ch.client.command({ query: `OPTIMIZE TABLE ${table} FINAL` });
    expect(await api()).toEqual(before);
    expect((await api()).responses).toEqual(await byDefinition());
  });
});
