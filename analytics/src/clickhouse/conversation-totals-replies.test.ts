import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsEventSchema } from '@switchboard/events';
import { createTestClickHouse, type TestClickHouse } from '@switchboard/core/testing';
import { insertEvents } from '../testing/seed-dataset.js';
import { turnEvent } from '../testing/event-factory.js';

/**
 * The per-conversation response columns (conversations export, explorer panel) count replies as
 * the API's AI response time does: a template sent 25 h later is a re-engagement, not a 25 h
 * reply (docs/metrics.md's worked example moved a live average from 2.6 s to 12,859 s).
 */
let ch: TestClickHouse;
beforeAll(async () => {
  ch = await createTestClickHouse();
  const c = { conversationId: 910, occurredAt: '2026-11-02T10:00:00.000Z' };
  const template = turnEvent({ ...c, latencyMs: 90_000_000, occurredAt: '2026-11-03T11:00:00.000Z' });
  await insertEvents(ch, [
    turnEvent({ ...c, latencyMs: 2000 }),
    turnEvent({ ...c, latencyMs: 3000, occurredAt: '2026-11-02T10:05:00.000Z' }),
    analyticsEventSchema.parse({ ...template, payload: { ...template.payload, outcome: 'template' } }),
  ]);
});
afterAll(async () => ch?.drop());

describe('conversation totals: AI replies', () => {
  it('leave template re-engagements out of the reply count and the response times', async () => {
    const rows = await (
      await ch.client.query({
        query: `SELECT ai_replies, response_ms_avg, response_ms_max FROM conversations_summary
                 WHERE account_id = 1 AND conversation_id = 910`,
        format: 'JSONEachRow',
      })
    ).json<{ ai_replies: number; response_ms_avg: number; response_ms_max: number }>();
    expect(
      rows.map((r) => [Number(r.ai_replies), Number(r.response_ms_avg), Number(r.response_ms_max)]),
    ).toEqual([[2, 2500, 3000]]);
  });
});
