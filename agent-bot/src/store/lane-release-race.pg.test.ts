import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { claimDueLanes, laneDueNow, releaseStatement } from './lanes.js';

/**
 * A customer's webhook that marks the lane due (laneDueNow: `now()`, its statement's start)
 * while the holder's release waits for the row: the release began earlier, so its own `now()`
 * is older than that due mark. It must still see the work and keep the lane; it used to let go
 * and wipe the mark, and the reply waited for the sweeper (seen in the engine bench as a
 * "sweeper found conversations with work but no due mark" and a turn seconds late).
 */
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.drop());

it('keeps the lane when a due mark lands while its release waits for the row', async () => {
  await db.pool.query(
    `INSERT INTO engine_conversations (account_id, conversation_id, inbox_id, assistant, channel, status, work_due_at)
     VALUES (1, 9, 1, 'a', 'whatsapp', 'pending', now() - interval '1 second')`,
  );
  const [lane] = await claimDueLanes(db.pool, 'p1', 1, 30_000);
  expect(lane).toBeDefined();
  const webhook = await db.pool.connect();
  try {
    // The webhook's transaction holds the row first…
    await webhook.query('BEGIN');
    await webhook.query(`SELECT 1 FROM engine_conversations WHERE conversation_id = 9 FOR UPDATE`);
    // …the release starts (its now() is fixed here) and waits…
    const release = releaseStatement(lane!, 30_000);
    const released = db.pool.query<{ kept: boolean }>(release.text, release.values);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // …and the due mark a statement starting after the release's start would write, committed.
    await webhook.query(
      `UPDATE engine_conversations SET ${laneDueNow().replace('now()', 'clock_timestamp()')} WHERE conversation_id = 9`,
    );
    await webhook.query('COMMIT');
    expect((await released).rows[0]).toEqual({ kept: true });
  } finally {
    webhook.release();
  }
  const row = (
    await db.pool.query<{ work_due_at: Date | null; lane_holder: string | null }>(
      `SELECT work_due_at, lane_holder FROM engine_conversations WHERE conversation_id = 9`,
    )
  ).rows[0]!;
  expect(row.lane_holder).toBe(lane!.holder);
  expect(row.work_due_at).not.toBeNull();
});
