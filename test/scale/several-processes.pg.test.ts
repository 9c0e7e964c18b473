import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScaleOut, type ScaleOutResult } from './scale-out-run.js';

/**
 * Three agent-bot and two analytics-ingest child processes on one PostgreSQL, a round-robin
 * balancer in front of the agent-bots (so one burst's webhooks reach different processes):
 * every burst gets exactly one reply, merged, and every outbox event lands in ClickHouse once.
 */
describe('several processes on one PostgreSQL', () => {
  let db: TestDatabase;
  let run: ScaleOutResult;
  beforeAll(async () => {
    db = await createTestDatabase();
    run = await runScaleOut({
      db: { url: db.url, schema: db.schema },
      pool: db.pool,
      agentBots: 3,
      ingests: 2,
      conversations: 24,
      burst: 3,
    });
  }, 240_000);
  afterAll(async () => {
    if (db?.schema)
      await db.pool.query(`DROP SCHEMA IF EXISTS "${db.schema}_boss" CASCADE`).catch(() => undefined);
    await db?.drop();
  });

  it('spreads the webhooks over all three agent-bot processes', () => {
    expect(run.webhooksPerProcess).toHaveLength(3);
    for (const count of run.webhooksPerProcess) expect(count).toBeGreaterThan(10);
  });

  it('answers every burst exactly once, with all of its messages merged', () => {
    for (const conversation of run.conversations) {
      expect(conversation.replies).toEqual([`re: ${conversation.sent.join(' | ')}`]);
    }
  });

  it('ships every event exactly once between the two analytics-ingest processes', () => {
    const shipped = run.shippedPerProcess.flat();
    expect(run.outboxIds.length).toBeGreaterThan(run.conversations.length * 3);
    expect(shipped.length).toBe(new Set(shipped).size);
    expect(new Set(shipped)).toEqual(new Set(run.outboxIds));
    // Both shipped a share: they really competed for the same outbox.
    for (const ids of run.shippedPerProcess) expect(ids.length).toBeGreaterThan(0);
  });
});
