import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClickHouse, type TestClickHouse } from '@switchboard/core/testing';
import { insertEvents } from '../../testing/seed-dataset.js';
import { modelCallEvent, turnEvent } from '../../testing/event-factory.js';
import { loadConversationInsight } from './conversation-insight.js';

/**
 * The insight panel is immune to duplicate event rows like every other number (issue 19): the
 * same batch stored twice (another shipper, a rebuilt batch) showed each model call twice.
 */
let ch: TestClickHouse;

beforeAll(async () => {
  ch = await createTestClickHouse();
});
afterAll(async () => {
  await ch?.close();
});

describe('conversation insight over duplicated events', () => {
  it('lists each turn and each model call once', async () => {
    const c = { conversationId: 77, assistant: 'sales', occurredAt: '2026-11-07T10:00:00.000Z' };
    const events = [
      turnEvent({ ...c, latencyMs: 1200, turnId: 'turn-a' }),
      modelCallEvent({ ...c, costUsd: '0.001', turnId: 'turn-a' }),
    ];
    await insertEvents(ch, events);
    await insertEvents(ch, events); // the same rows again, as a second batch
    const insight = await loadConversationInsight(ch, 1, 77);
    expect(insight.turns).toHaveLength(1);
    expect(insight.turns[0]!.calls).toHaveLength(1);
  });
});
