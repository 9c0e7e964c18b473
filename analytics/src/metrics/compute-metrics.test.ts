import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClickHouse, type TestClickHouse } from '@switchboard/core/testing';
import { insertEvents, seededEvents, SEED_RANGE } from '../testing/seed-dataset.js';
import { computeMetrics } from './compute-metrics.js';
import { filtersSchema } from './filters.js';

let ch: TestClickHouse;
beforeAll(async () => {
  ch = await createTestClickHouse();
  // Three inserts, interleaved: every conversation's events are split over three parts, so the
  // totals must be recomputed over all of them (as after any shipper batches).
  const events = seededEvents();
  for (let k = 0; k < 3; k++)
    await insertEvents(
      ch,
      events.filter((_, i) => i % 3 === k),
    );
  const parts = await (
    await ch.client.query({
      query:
        "SELECT count() AS n FROM system.parts WHERE database = currentDatabase() AND table = 'conversation_events' AND active",
      format: 'JSONEachRow',
    })
  ).json<{ n: number }>();
  expect(Number(parts[0]!.n)).toBeGreaterThanOrEqual(2);
});
afterAll(async () => ch?.drop());

const filters = (extra: Record<string, string> = {}) => filtersSchema.parse({ ...SEED_RANGE, ...extra });

describe('computeMetrics on the seeded set (values computed by hand, see seed-dataset.ts)', () => {
  it('computes every definition for account 1', async () => {
    const m = await computeMetrics(ch, 1, filters());
    expect(m.conversations).toEqual({
      total: 4,
      messages: { total: 14, customer: 8, ai: 4, humanAgent: 2, system: 0 },
      messagesPerConversation: 3.5,
      withHumanAgent: 2,
    });
    // 9 customer messages in range (105's 11-02 message included), 8 of them in conversations an
    // assistant serves (104 is a humans-only inbox: not the AI's to answer); 6 covered by AI
    // replies; latencies 1000, 2000, 4000, 5000, 12000 → mean 4800, p50 4000, p95 5000 + 0.8 × 7000.
    expect(m.responses).toEqual({
      customerMessages: 8,
      answeredByAi: 6,
      responseRate: 0.75,
      aiReplies: 5,
      avgResponseMs: 4800,
      p50ResponseMs: 4000,
      p95ResponseMs: 10_600,
    });
    expect(m.cost).toEqual({
      // Nothing was spent outside a conversation in the seed (no knowledge-base ingest).
      accountLevelUsd: '0',
      totalUsd: '0.0195',
      perConversationUsd: '0.004875',
      byKind: {
        model: '0.006',
        transcription: '0.0006',
        vision: '0.0004',
        whatsapp: '0.0125',
        embedding: '0',
      },
      perConversationByKind: {
        model: '0.0015',
        transcription: '0.00015',
        vision: '0.0001',
        whatsapp: '0.003125',
        embedding: '0',
      },
      byModel: [
        { model: 'claude-haiku', costUsd: '0.003', calls: 1 },
        { model: 'gpt-4.1-mini', costUsd: '0.003', calls: 2 },
      ],
    });
    // 102's handoff (08:00:03) answered by a human at 08:10:00: 597 s; 103's never answered.
    expect(m.handoffs).toEqual({
      answeredByHuman: 1,
      avgTimeToHumanMs: 597_000,
      conversations: 2,
      rate: 0.5,
      reasons: [
        { reason: 'customer_request', conversations: 1 },
        { reason: 'keyword', conversations: 1 },
      ],
    });
    expect(m.aiResolution).toEqual({ conversations: 1, rate: 0.25 });
    expect(m.knowledge).toEqual({
      searches: 3,
      misses: 2,
      missRate: 0.6667,
      topMissedQueries: [{ query: 'refund policy?', count: 2 }],
    });
    expect(m.modelCalls).toEqual({ total: 3, errors: 0, timeouts: 0, avgLatencyMs: 800 });
  });

  it('filters by channel, assistant, inbox and partial phone number', async () => {
    const web = await computeMetrics(ch, 1, filters({ channel: 'web' }));
    expect(web.conversations.total).toBe(1);
    expect(web.conversations.messages.total).toBe(3);
    expect(web.responses).toMatchObject({
      customerMessages: 2,
      answeredByAi: 1,
      responseRate: 0.5,
      avgResponseMs: 1000,
    });
    expect(web.handoffs.reasons).toEqual([{ reason: 'keyword', conversations: 1 }]);

    const support = await computeMetrics(ch, 1, filters({ assistant: 'support' }));
    expect(support.conversations.total).toBe(1);
    expect(support.cost.totalUsd).toBe('0.0034');

    const inbox7 = await computeMetrics(ch, 1, filters({ inbox: '7' }));
    expect(inbox7.conversations.total).toBe(2);
    expect(inbox7.cost.totalUsd).toBe('0.0161');

    const phone = await computeMetrics(ch, 1, filters({ customer: '98765' }));
    expect(phone.conversations.total).toBe(1);
    expect(phone.cost.totalUsd).toBe('0.0026');
    expect(phone.responses).toMatchObject({ customerMessages: 3, answeredByAi: 3, responseRate: 1 });

    const several = await computeMetrics(ch, 1, filters({ channel: 'web,test' }));
    expect(several.conversations.total).toBe(2);
  });

  it('builds a daily series with empty days as zeros', async () => {
    const m = await computeMetrics(ch, 1, filters(), 'day');
    expect(m.series).toHaveLength(7);
    expect(m.series![0]).toEqual({
      bucket: '2026-11-01T00:00:00.000Z',
      conversations: 0,
      messages: 0,
      costUsd: '0',
      handoffConversations: 0,
      customerMessages: 0,
      answeredByAi: 0,
      avgResponseMs: null,
      p95ResponseMs: null,
    });
    expect(m.series![1]).toMatchObject({
      bucket: '2026-11-02T00:00:00.000Z',
      conversations: 1,
      messages: 5,
      costUsd: '0.0026',
      customerMessages: 4,
      answeredByAi: 4,
      avgResponseMs: 7000,
    });
    expect(m.series![2]).toMatchObject({
      conversations: 1,
      messages: 4,
      customerMessages: 1,
      answeredByAi: 1,
      avgResponseMs: 2000,
    });
    expect(m.series![3]).toMatchObject({
      conversations: 0,
      customerMessages: 1,
      answeredByAi: 0,
      avgResponseMs: null,
    });
    const week = await computeMetrics(ch, 1, filters(), 'week');
    expect(week.series!.map((p) => [p.bucket, p.conversations])).toEqual([
      ['2026-10-26T00:00:00.000Z', 0],
      ['2026-11-02T00:00:00.000Z', 4],
    ]);
  });

  it('never mixes accounts', async () => {
    const m = await computeMetrics(ch, 2, filters());
    expect(m.conversations.total).toBe(1);
    expect(m.cost.totalUsd).toBe('5');
    expect(m.responses.avgResponseMs).toBe(99_999);
    const none = await computeMetrics(ch, 3, filters());
    expect(none.conversations.total).toBe(0);
    expect(none.cost.perConversationUsd).toBe('0');
    expect(none.responses.avgResponseMs).toBeNull();
  });
});
