import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import {
  claimDueLanes,
  failLane,
  laneDueIn,
  markLaneDue,
  markOrphanedLanesDue,
  releaseLane,
  releaseStatement,
  renewLane,
} from './lanes.js';
import { closeTurn, insertTurnWithoutMessages } from './turns.js';

/** The conversation-row lane queue on a real database: claims, releases, backoff, crashes. */
let db: TestDatabase;
const LEASE = 30_000;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});
beforeEach(async () => {
  await db.pool.query('TRUNCATE engine_conversations, engine_messages, engine_turns');
  for (const id of [1, 2, 3]) {
    await db.pool.query(
      `INSERT INTO engine_conversations (account_id, conversation_id, inbox_id, assistant, channel, status)
       VALUES (1, $1, 1, 'a', 'whatsapp', 'pending')`,
      [id],
    );
  }
});

async function lane(conversationId: number) {
  return (
    await db.pool.query<{ work_due_at: Date | null; lane_holder: string | null; lane_attempts: number }>(
      `SELECT work_due_at, lane_holder, lane_attempts FROM engine_conversations WHERE account_id = 1 AND conversation_id = $1`,
      [conversationId],
    )
  ).rows[0]!;
}

describe('lane lease', () => {
  it('claims only due lanes, oldest first, each once across concurrent claimers', async () => {
    await db.pool.query(
      `UPDATE engine_conversations SET work_due_at = now() - make_interval(secs => conversation_id)
        WHERE conversation_id IN (1, 2)`,
    );
    const [a, b] = await Promise.all([
      claimDueLanes(db.pool, 'p1', 10, LEASE),
      claimDueLanes(db.pool, 'p2', 10, LEASE),
    ]);
    const claimed = [...a, ...b].map((l) => l.conversationId).sort();
    expect(claimed).toEqual([1, 2]);
    expect(await claimDueLanes(db.pool, 'p3', 10, LEASE)).toEqual([]);
    // The claim pushes the due mark to the end of the lease: a dead holder's lane falls due again.
    const held = await lane(1);
    expect(held.lane_holder).toMatch(/^p[12]:/);
    expect(held.work_due_at!.getTime()).toBeGreaterThan(Date.now() + LEASE - 5_000);
  });

  it('keeps the lane when work came in while it was held, releases it otherwise', async () => {
    await markLaneDue(db.pool, { accountId: 1, conversationId: 1 });
    const [claimed] = await claimDueLanes(db.pool, 'p1', 1, LEASE);
    expect(claimed).toMatchObject({ conversationId: 1, attempts: 0 });
    await markLaneDue(db.pool, { accountId: 1, conversationId: 1 }); // a webhook while we work
    expect(await releaseLane(db.pool, claimed!, LEASE)).toBe('keep');
    expect((await lane(1)).lane_holder).toBe(claimed!.holder);
    expect(await releaseLane(db.pool, claimed!, LEASE)).toBe('released');
    expect(await lane(1)).toMatchObject({ lane_holder: null, work_due_at: null });
    // A release by a holder that lost the lane changes nothing.
    expect(await releaseLane(db.pool, { ...claimed!, holder: 'someone-else' }, LEASE)).toBe('released');
  });

  it("lets the lane go with the turn's close in one statement, or keeps it when work came in", async () => {
    const turnId = '00000000-0000-4000-8000-000000000001';
    await insertTurnWithoutMessages(db.pool, { turnId, accountId: 1, conversationId: 1 });
    await markLaneDue(db.pool, { accountId: 1, conversationId: 1 });
    const [claimed] = await claimDueLanes(db.pool, 'p1', 1, LEASE);
    await markLaneDue(db.pool, { accountId: 1, conversationId: 1 }); // a webhook while we work
    expect(await closeTurn(db.pool, turnId, 'replied', null, releaseStatement(claimed!, LEASE))).toBe('keep');
    expect((await lane(1)).lane_holder).toBe(claimed!.holder);
    const turn = await db.pool.query(`SELECT state, outcome FROM engine_turns WHERE turn_id = $1`, [turnId]);
    expect(turn.rows).toEqual([{ state: 'done', outcome: 'replied' }]);
    // Closed already: the turn stays as it is, the lane is let go all the same.
    expect(await closeTurn(db.pool, turnId, 'failed', null, releaseStatement(claimed!, LEASE))).toBe(
      'released',
    );
    expect(await lane(1)).toMatchObject({ lane_holder: null, work_due_at: null });
    expect((await db.pool.query(`SELECT outcome FROM engine_turns`)).rows).toEqual([{ outcome: 'replied' }]);
    // Without a release nothing about the lane is said or changed.
    expect(await closeTurn(db.pool, turnId, 'replied', null)).toBeUndefined();
  });

  it('renews the lease without hiding new work, and a lapsed lease can be claimed again', async () => {
    await markLaneDue(db.pool, { accountId: 1, conversationId: 2 });
    const [first] = await claimDueLanes(db.pool, 'p1', 1, 200);
    expect(await renewLane(db.pool, first!, 200)).toBe(true);
    expect(await claimDueLanes(db.pool, 'p2', 1, LEASE)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the holder "died"
    const [second] = await claimDueLanes(db.pool, 'p2', 1, LEASE);
    expect(second).toMatchObject({ conversationId: 2 });
    expect(await renewLane(db.pool, first!, LEASE)).toBe(false);
    await markLaneDue(db.pool, { accountId: 1, conversationId: 2 });
    expect(await renewLane(db.pool, second!, LEASE)).toBe(true);
    expect((await lane(2)).work_due_at!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('backs off exponentially after failures, but a new message makes the lane due at once', async () => {
    await markLaneDue(db.pool, { accountId: 1, conversationId: 3 });
    const delays: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      await db.pool.query(`UPDATE engine_conversations SET work_due_at = now() WHERE conversation_id = 3`);
      const [claimed] = await claimDueLanes(db.pool, 'p1', 1, LEASE);
      expect(claimed!.attempts).toBe(attempt);
      delays.push(await failLane(db.pool, claimed!));
    }
    expect(delays.map((d) => Math.round(d / 1000))).toEqual([2, 4, 8]);
    expect(await claimDueLanes(db.pool, 'p1', 1, LEASE)).toEqual([]);
    await markLaneDue(db.pool, { accountId: 1, conversationId: 3 });
    const [again] = await claimDueLanes(db.pool, 'p1', 1, LEASE);
    expect(again).toMatchObject({ conversationId: 3, attempts: 3 });
    expect(await releaseLane(db.pool, again!, LEASE)).toBe('released');
    expect((await lane(3)).lane_attempts).toBe(0);
  });

  it('never backs off negatively: a lease that lapsed mid-run still backs off, a knock retries at 0', async () => {
    await markLaneDue(db.pool, { accountId: 1, conversationId: 3 });
    const [lapsed] = await claimDueLanes(db.pool, 'p1', 1, LEASE);
    // The run outlived its lease (or the clocks disagree): the lease's own due mark is past.
    await db.pool.query(
      `UPDATE engine_conversations SET lane_lease_until = now() - interval '5 seconds',
              work_due_at = now() - interval '5 seconds' WHERE conversation_id = 3`,
    );
    expect(Math.round((await failLane(db.pool, lapsed!)) / 1000)).toBe(2);
    await db.pool.query(`UPDATE engine_conversations SET work_due_at = now() WHERE conversation_id = 3`);
    const [knocked] = await claimDueLanes(db.pool, 'p1', 1, LEASE);
    // A customer wrote while it ran, but the mark is already in the past when the run fails.
    await db.pool.query(
      `UPDATE engine_conversations SET work_due_at = now() - interval '5 seconds' WHERE conversation_id = 3`,
    );
    expect(await failLane(db.pool, knocked!)).toBe(0);
    expect((await claimDueLanes(db.pool, 'p1', 1, LEASE)).map((l) => l.conversationId)).toEqual([3]);
  });

  it('dropping a lane clears its due mark (nothing of ours to do there)', async () => {
    await markLaneDue(db.pool, { accountId: 1, conversationId: 1 });
    const [claimed] = await claimDueLanes(db.pool, 'p1', 1, LEASE);
    await markLaneDue(db.pool, { accountId: 1, conversationId: 1 });
    expect(await releaseLane(db.pool, claimed!, LEASE, { drop: true })).toBe('released');
    expect(await lane(1)).toMatchObject({ lane_holder: null, work_due_at: null });
  });

  it('the safety net marks conversations with stale work but no due mark', async () => {
    await db.pool.query(
      `INSERT INTO engine_messages (account_id, message_id, conversation_id, message_type, author, created_at, received_at)
       VALUES (1, 10, 2, 'incoming', 'customer', now(), now() - interval '1 minute'),
              (1, 11, 3, 'incoming', 'customer', now(), now())`,
    );
    expect(await markOrphanedLanesDue(db.pool, 10_000)).toBe(1);
    expect((await lane(2)).work_due_at).not.toBeNull();
    expect((await lane(3)).work_due_at).toBeNull(); // fresh: its own due mark is on the way
  });
});

describe("a customer's burst window as a due mark for later (conversation-rules.ts)", () => {
  const knock = (ms: number) =>
    db.pool.query(`UPDATE engine_conversations c SET ${laneDueIn('c', ms)} WHERE conversation_id = 1`);

  it('falls due at the end of the window: no claim before, one after', async () => {
    await knock(300);
    expect(await claimDueLanes(db.pool, 'p', 10, LEASE)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await claimDueLanes(db.pool, 'p', 10, LEASE)).map((l) => l.conversationId)).toEqual([1]);
  });

  it("keeps an earlier due mark (the burst's first message keeps its window)", async () => {
    await knock(200);
    const first = (await lane(1)).work_due_at!.getTime();
    await knock(5_000);
    expect((await lane(1)).work_due_at!.getTime()).toBe(first);
  });

  it('left on a held lane: renewing keeps it, the release leaves it for its claim, not kept and not lost', async () => {
    await markLaneDue(db.pool, { accountId: 1, conversationId: 1 });
    const [claimed] = await claimDueLanes(db.pool, 'p', 10, LEASE);
    await knock(300);
    const knocked = (await lane(1)).work_due_at!.getTime();
    expect(await renewLane(db.pool, claimed!, LEASE)).toBe(true);
    expect((await lane(1)).work_due_at!.getTime()).toBe(knocked);
    expect(await releaseLane(db.pool, claimed!, LEASE)).toBe('released');
    expect(await lane(1)).toMatchObject({ lane_holder: null });
    expect((await lane(1)).work_due_at!.getTime()).toBe(knocked);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await claimDueLanes(db.pool, 'p', 10, LEASE)).map((l) => l.conversationId)).toEqual([1]);
  });

  it('left on a held lane whose window has ended by the release: the lane is kept', async () => {
    await markLaneDue(db.pool, { accountId: 1, conversationId: 1 });
    const [claimed] = await claimDueLanes(db.pool, 'p', 10, LEASE);
    await knock(50);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await releaseLane(db.pool, claimed!, LEASE)).toBe('keep');
  });

  it('a failed run keeps a knock for later instead of backing off past it', async () => {
    await markLaneDue(db.pool, { accountId: 1, conversationId: 1 });
    const [claimed] = await claimDueLanes(db.pool, 'p', 10, LEASE);
    await knock(300);
    const knocked = (await lane(1)).work_due_at!.getTime();
    await failLane(db.pool, claimed!);
    expect(await lane(1)).toMatchObject({ lane_holder: null });
    expect((await lane(1)).work_due_at!.getTime()).toBe(knocked);
  });
});
