import sql, { empty, join, type Sql } from 'sql-template-tag';
import { run, type Queryable } from './db.js';
import { insertParts, type OutgoingRow, type TurnKey } from './reply-parts.js';

/** What the `turn` event reports about a turn, as stored in `engine_turns`. */
export interface TurnRecord {
  customerMessageIds: number[];
  firstCustomerMessageAt: Date;
  mergeDelayMs: number;
  queueDelayMs: number;
  regenerations: number;
  handoff: unknown;
}

/**
 * The turn, its reply parts (the first one already claimed for posting), the messages it
 * answers, the conversation's bookkeeping and the turn's events (`recorded`, given the guard):
 * one statement, so it commits whole or not at all, in one round trip. Guarded: when customer
 * messages the reply does not answer are waiting, nothing is written and false comes back (the
 * turn regenerates).
 */
export async function commitTurn(
  db: Queryable,
  key: TurnKey,
  turn: TurnRecord,
  parts: OutgoingRow[],
  /** The handoff the lane carries out next (with the turn id), or null. */
  pendingHandoff: unknown,
  recorded: ((guard: Sql) => Sql) | null,
): Promise<boolean> {
  const { turnId, accountId, conversationId } = key;
  const ok = sql`(SELECT ok FROM guard)`;
  const result = await run<{ ok: boolean }>(
    db,
    sql`WITH guard AS (
          SELECT NOT EXISTS (
            SELECT 1 FROM engine_messages
             WHERE account_id = ${accountId} AND conversation_id = ${conversationId} AND author = 'customer'
               AND turn_id IS NULL AND ignored = false
               AND NOT (message_id = ANY(${turn.customerMessageIds}::bigint[]))) AS ok),
        turn AS (
          INSERT INTO engine_turns (turn_id, account_id, conversation_id, state, customer_message_ids,
              first_customer_message_at, merge_delay_ms, queue_delay_ms, regenerations, handoff)
          SELECT ${turnId}, ${accountId}, ${conversationId}, 'sending', ${turn.customerMessageIds},
                 ${turn.firstCustomerMessageAt}, ${turn.mergeDelayMs}, ${turn.queueDelayMs}, ${turn.regenerations},
                 ${turn.handoff ? JSON.stringify(turn.handoff) : null}
           WHERE ${ok}),
        parts AS (${insertParts(key, parts, ok)}),
        answered AS (
          UPDATE engine_messages SET turn_id = ${turnId}
           WHERE account_id = ${accountId} AND message_id = ANY(${turn.customerMessageIds}::bigint[])
             AND turn_id IS NULL AND ${ok}),
        bookkeeping AS (
          UPDATE engine_conversations
             SET consecutive_failures = 0,
                 pending_handoff = COALESCE(${pendingHandoff ? JSON.stringify(pendingHandoff) : null}::jsonb, pending_handoff)
           WHERE account_id = ${accountId} AND conversation_id = ${conversationId} AND ${ok})
        ${recorded ? sql`, recorded AS (${recorded(ok)})` : empty}
        SELECT ok FROM guard`,
  );
  return result.rows[0]!.ok;
}

/**
 * The close of a turn as CTEs for another statement (`ctes`, each `name AS (…)`) and the
 * expression that tells whether the lane was kept (`kept`, null without a release): the reply
 * sender appends it to the mark-sent of a turn's last part, so the common turn closes in the
 * round trip that marks its reply sent (closeTurn is the same statement alone).
 */
export interface TurnClose {
  ctes: Sql[];
  kept: Sql;
  /** Whether a release is part of it. */
  releases: boolean;
}

export function turnCloseCtes(
  turnId: string,
  outcome: string,
  recorded: ((closed: Sql) => Sql) | null,
  release?: Sql,
): TurnClose {
  return {
    ctes: [
      sql`done AS (
          UPDATE engine_turns SET state = 'done', outcome = ${outcome}, finished_at = now()
           WHERE turn_id = ${turnId} AND state = 'sending' RETURNING 1)`,
      ...(recorded ? [sql`recorded_turn AS (${recorded(sql`EXISTS (SELECT 1 FROM done)`)})`] : []),
      ...(release ? [sql`released AS (${release})`] : []),
    ],
    kept: release ? sql`(SELECT kept FROM released)` : sql`NULL::boolean`,
    releases: release !== undefined,
  };
}

/**
 * Moves a turn out of `sending` with its `turn` event (`recorded`, given the condition that it
 * moved): whoever does so writes the event, once. With `release` (the lane's release,
 * store/lanes.ts releaseStatement) the lane is let go in the same statement, which saves the
 * round trip of a separate release after the common turn; it returns whether the lane was kept
 * (new work came in) or released, as releaseLane does.
 */
export async function closeTurn(
  db: Queryable,
  turnId: string,
  outcome: string,
  recorded: ((closed: Sql) => Sql) | null,
  release?: Sql,
): Promise<'released' | 'keep' | undefined> {
  const close = turnCloseCtes(turnId, outcome, recorded, release);
  const result = await run<{ kept: boolean | null }>(
    db,
    sql`WITH ${join(close.ctes, ', ')} SELECT ${close.kept} AS kept`,
  );
  return keptOrReleased(close, result.rows[0]?.kept ?? null);
}

/** What a statement with a TurnClose tells of the lane: undefined when it released nothing. */
export function keptOrReleased(close: TurnClose, kept: boolean | null): 'released' | 'keep' | undefined {
  if (!close.releases) return undefined;
  return kept ? 'keep' : 'released';
}

/** A turn still in `sending` (a crash left it, or a template retry reopened it). */
export async function loadOpenTurn(db: Queryable, turnId: string): Promise<TurnRecord | null> {
  const row = (
    await run<{
      customer_message_ids: string[];
      first_customer_message_at: Date;
      merge_delay_ms: number;
      queue_delay_ms: number;
      regenerations: number;
      handoff: unknown;
    }>(
      db,
      sql`SELECT customer_message_ids, first_customer_message_at, merge_delay_ms, queue_delay_ms, regenerations, handoff
            FROM engine_turns WHERE turn_id = ${turnId} AND state = 'sending'`,
    )
  ).rows[0];
  if (!row) return null;
  return {
    customerMessageIds: row.customer_message_ids.map(Number),
    firstCustomerMessageAt: new Date(row.first_customer_message_at),
    mergeDelayMs: row.merge_delay_ms,
    queueDelayMs: row.queue_delay_ms,
    regenerations: row.regenerations,
    handoff: row.handoff,
  };
}

/** Back to `sending`: the lane sends the parts added to it (a template retry). */
export async function reopenTurn(db: Queryable, turnId: string): Promise<void> {
  await run(db, sql`UPDATE engine_turns SET state = 'sending' WHERE turn_id = ${turnId}`);
}

export async function turnExists(db: Queryable, turnId: string): Promise<boolean> {
  const result = await run(db, sql`SELECT 1 FROM engine_turns WHERE turn_id = ${turnId}`);
  return (result.rowCount ?? 0) > 0;
}

/**
 * A turn without customer messages (a follow-up): it goes through the reply sender like any
 * other, so the sender's idempotency covers it too.
 */
export async function insertTurnWithoutMessages(db: Queryable, key: TurnKey): Promise<void> {
  await run(
    db,
    sql`INSERT INTO engine_turns (turn_id, account_id, conversation_id, state, customer_message_ids, first_customer_message_at)
        VALUES (${key.turnId}, ${key.accountId}, ${key.conversationId}, 'sending', '{}', now())`,
  );
}
