import type pg from 'pg';
import sql, { raw, type Sql } from 'sql-template-tag';

type Queryable = Pick<pg.Pool, 'query'>;

export interface LaneKey {
  accountId: number;
  conversationId: number;
}

export interface ClaimedLane extends LaneKey {
  /** This claim's token: only its holder may renew, release or fail the lane. */
  holder: string;
  /** Failed runs in a row (0 on a first try); the next failure backs off longer. */
  attempts: number;
  /** The conversation row as claimed, with the claimer's extra `returning` columns. */
  row: Record<string, unknown>;
}

/**
 * The SET item that makes a conversation's lane due now, for statements that change the
 * conversation anyway (webhook ingest): no extra round trip. A lane already due earlier, or
 * held, stays so; its holder sees `work_due_at <= now()` when it tries to let go and loops
 * once more.
 */
export function laneDueNow(alias?: string): string {
  return laneDueIn(alias, 0);
}

/** `now()` plus `ms` (a whole number of milliseconds, never from a payload) as SQL. */
export function dueAfter(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new Error(`not a delay in ms: ${ms}`);
  return ms === 0 ? 'now()' : `now() + interval '${ms} milliseconds'`;
}

/**
 * The same, due `ms` from now (a customer message's burst window): a lane due earlier stays so.
 * On a held lane it is a knock (a due mark before the lease's end): the holder's renewal and
 * release leave it, for a claim at its time (releaseStatement, renewLane).
 */
export function laneDueIn(alias: string | undefined, ms: number): string {
  const column = alias ? `${alias}.work_due_at` : 'work_due_at';
  return `work_due_at = LEAST(COALESCE(${column}, 'infinity'::timestamptz), ${dueAfter(ms)})`;
}

/**
 * Someone left work on a held lane for later: a due mark before the lease's end, which the
 * holder's own marks never are (they equal the lease's end). The release leaves it for a claim
 * then (the webhook that left it set a timer for it).
 */
const KNOCKED_FOR_LATER = `(work_due_at < lane_lease_until)`;

/**
 * The lane queue lives on the conversation row itself (one lane per conversation, so the row
 * is the natural queue entry): `work_due_at` says when someone should look at the conversation
 * and `lane_holder` / `lane_lease_until` who is looking. Claiming sets `work_due_at` to the end of
 * the lease, so a holder that dies leaves a lane that falls due again by itself, without a
 * sweeper. A lease instead of a lock because no transaction may stay open across a model or
 * Chatwoot call.
 *
 * One statement claims up to `limit` due lanes no live holder has, oldest due first, skipping
 * rows another process is claiming at this instant.
 */
export async function claimDueLanes(
  db: Queryable,
  holderPrefix: string,
  limit: number,
  leaseMs: number,
  /** Extra RETURNING columns over the claimed row `c` (what the lane reads first anyway). */
  returning?: string,
): Promise<ClaimedLane[]> {
  if (limit <= 0) return [];
  const result = await db.query<{
    account_id: string;
    conversation_id: string;
    lane_holder: string;
    lane_attempts: number;
  }>(
    `UPDATE engine_conversations c
        SET lane_holder = $1 || ':' || gen_random_uuid()::text,
            lane_lease_until = now() + make_interval(secs => $3::float8 / 1000),
            work_due_at = now() + make_interval(secs => $3::float8 / 1000)
       FROM (SELECT account_id, conversation_id FROM engine_conversations
              WHERE work_due_at <= now() AND (lane_holder IS NULL OR lane_lease_until < now())
              ORDER BY work_due_at
              LIMIT $2
              FOR UPDATE SKIP LOCKED) due
      WHERE c.account_id = due.account_id AND c.conversation_id = due.conversation_id
      RETURNING c.*${returning ? `, ${returning}` : ''}`,
    [holderPrefix, limit, leaseMs],
  );
  return result.rows.map((row) => ({
    accountId: Number(row.account_id),
    conversationId: Number(row.conversation_id),
    holder: row.lane_holder,
    attempts: row.lane_attempts,
    row,
  }));
}

/** Extends the lease (and the crash marker with it), keeping a due mark someone left (a knock). */
export async function renewLane(db: Queryable, lane: ClaimedLane, leaseMs: number): Promise<boolean> {
  const result = await db.query(
    `UPDATE engine_conversations
        SET lane_lease_until = now() + make_interval(secs => $4::float8 / 1000),
            work_due_at = CASE WHEN work_due_at <= now() OR work_due_at < lane_lease_until THEN work_due_at
                               ELSE now() + make_interval(secs => $4::float8 / 1000) END
      WHERE account_id = $1 AND conversation_id = $2 AND lane_holder = $3`,
    [lane.accountId, lane.conversationId, lane.holder, leaseMs],
  );
  return result.rowCount === 1;
}

/**
 * Lets go when nothing new came in; when something did (`work_due_at` was set to now while we
 * held the lane) the lane is kept and the caller looks once more, and a due mark for later (a
 * customer's burst window) stays for the claim at its time. One UPDATE, so new work cannot fall
 * between the last look and the release.
 */
export async function releaseLane(
  db: Queryable,
  lane: ClaimedLane,
  leaseMs: number,
  options: { drop?: boolean } = {},
): Promise<'released' | 'keep'> {
  if (options.drop) {
    // Nothing here is ours to do (the conversation or its inbox binding is gone): no retry.
    await db.query(
      `UPDATE engine_conversations SET lane_holder = NULL, lane_lease_until = NULL, work_due_at = NULL, lane_attempts = 0
        WHERE account_id = $1 AND conversation_id = $2 AND lane_holder = $3`,
      [lane.accountId, lane.conversationId, lane.holder],
    );
    return 'released';
  }
  const release = releaseStatement(lane, leaseMs);
  const result = await db.query<{ kept: boolean }>(release.text, release.values);
  return result.rows[0]?.kept ? 'keep' : 'released';
}

/**
 * The release of releaseLane as a statement (RETURNING `kept`), also usable as a CTE body: a
 * turn's closing statement lets go of the lane in the same round trip (store/turns.ts).
 */
export function releaseStatement(lane: ClaimedLane, leaseMs: number): Sql {
  // Kept for a knock that has come: clock_timestamp(), not now(): a webhook that marked the lane
  // due while this waited for the row started after this statement did, so its now() is later
  // than ours (lane-release-race test). A knock for later (a burst window) is left as it is.
  return sql`UPDATE engine_conversations
        SET lane_holder = CASE WHEN work_due_at <= clock_timestamp() THEN lane_holder END,
            lane_lease_until = CASE WHEN work_due_at <= clock_timestamp()
                                    THEN now() + make_interval(secs => ${leaseMs}::float8 / 1000) END,
            work_due_at = CASE WHEN work_due_at <= clock_timestamp()
                               THEN now() + make_interval(secs => ${leaseMs}::float8 / 1000)
                               WHEN ${raw(KNOCKED_FOR_LATER)} THEN work_due_at END,
      lane_attempts = 0
      WHERE account_id = ${lane.accountId} AND conversation_id = ${lane.conversationId} AND lane_holder = ${lane.holder}
      RETURNING lane_holder IS NOT NULL AS kept`;
}

/**
 * A run failed (Chatwoot down, the responder failing below the handoff threshold): let go and
 * come back after an exponential backoff (2 s, 4 s, … at most 10 min), or at once when the
 * customer writes again.
 */
export async function failLane(db: Queryable, lane: ClaimedLane): Promise<number> {
  const result = await db.query<{ retry_in_ms: number }>(
    `UPDATE engine_conversations
        SET lane_holder = NULL, lane_lease_until = NULL, lane_attempts = lane_attempts + 1,
            work_due_at = LEAST(
              -- a knock (due before the lease's own end mark, now or at a burst's end), not the lease having lapsed mid-run
              CASE WHEN work_due_at < lane_lease_until THEN work_due_at END,
              now() + make_interval(secs => LEAST(600, 2 * power(2, LEAST(lane_attempts, 12)))))
      WHERE account_id = $1 AND conversation_id = $2 AND lane_holder = $3
      RETURNING GREATEST(0, (EXTRACT(EPOCH FROM (work_due_at - now())) * 1000)::int) AS retry_in_ms`,
    [lane.accountId, lane.conversationId, lane.holder],
  );
  return result.rows[0]?.retry_in_ms ?? 0;
}

/** Makes a lane due now from outside a webhook (a follow-up or a template retry to send). */
export async function markLaneDue(db: Pick<pg.PoolClient, 'query'>, key: LaneKey): Promise<void> {
  await db.query(
    `UPDATE engine_conversations SET ${laneDueNow()} WHERE account_id = $1 AND conversation_id = $2`,
    [key.accountId, key.conversationId],
  );
}

/**
 * Safety net: conversations with work older than `staleMs` but no due mark and no live holder
 * (nothing in the engine leaves one like that; an operator's manual edit or a bug might) are
 * made due. Returns how many.
 */
export async function markOrphanedLanesDue(db: Queryable, staleMs: number): Promise<number> {
  const result = await db.query(
    `UPDATE engine_conversations c SET ${laneDueNow()}
      WHERE c.work_due_at IS NULL AND (c.lane_holder IS NULL OR c.lane_lease_until < now())
        AND (EXISTS (SELECT 1 FROM engine_messages m
                      WHERE m.account_id = c.account_id AND m.conversation_id = c.conversation_id
                        AND m.author = 'customer' AND m.turn_id IS NULL AND m.ignored = false
                        AND m.received_at < now() - make_interval(secs => $1::float8 / 1000))
             OR EXISTS (SELECT 1 FROM engine_turns t
                         WHERE t.account_id = c.account_id AND t.conversation_id = c.conversation_id
                           AND t.state = 'sending' AND t.created_at < now() - make_interval(secs => $1::float8 / 1000))
             OR c.pending_handoff IS NOT NULL)`,
    [staleMs],
  );
  return result.rowCount ?? 0;
}
