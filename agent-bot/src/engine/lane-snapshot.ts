import type pg from 'pg';
import type { ConversationPolicy } from '@switchboard/core';
import { toConversationState, type ConversationState } from '../transcript/conversation-store.js';
import { MESSAGE_COLUMNS, toStored, type StoredMessage } from '../transcript/transcript-store.js';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** What a lane needs to decide its next step, read in one round trip. */
export interface LaneSnapshot {
  conversation: ConversationState;
  /** Turns a crash (or a template retry) left in `sending`, oldest first. */
  openTurnIds: string[];
  /** Customer messages not yet answered, oldest first. */
  unanswered: StoredMessage[];
  /** The database's clock, which stamped `receivedAt` (burst timing is measured against it). */
  now: Date;
}

export async function loadLaneSnapshot(
  db: Queryable,
  accountId: number,
  conversationId: number,
): Promise<LaneSnapshot | null> {
  const result = await db.query(
    `SELECT c.*, now() AS snapshot_at,
            ARRAY(SELECT t.turn_id::text FROM engine_turns t
                   WHERE t.account_id = c.account_id AND t.conversation_id = c.conversation_id AND t.state = 'sending'
                   ORDER BY t.created_at) AS open_turn_ids,
            (SELECT COALESCE(json_agg(u ORDER BY u.created_at, u.message_id), '[]'::json)
               FROM (SELECT ${MESSAGE_COLUMNS} FROM engine_messages m
                      WHERE m.account_id = c.account_id AND m.conversation_id = c.conversation_id
                        AND m.author = 'customer' AND m.turn_id IS NULL AND m.ignored = false) u) AS unanswered
       FROM engine_conversations c WHERE c.account_id = $1 AND c.conversation_id = $2`,
    [accountId, conversationId],
  );
  const row = result.rows[0] as Record<string, unknown> | undefined;
  if (!row) return null;
  return {
    conversation: toConversationState(row),
    openTurnIds: row.open_turn_ids as string[],
    unanswered: (row.unanswered as Record<string, unknown>[]).map(toStored),
    now: new Date(row.snapshot_at as string),
  };
}

/**
 * Milliseconds until the burst of unanswered messages is over: quiet for `burstQuietMs` after
 * the last one, or `burstMaxWaitMs` after the first, whichever comes first.
 */
export function burstWaitMs(snapshot: LaneSnapshot, policy: ConversationPolicy): number {
  if (snapshot.unanswered.length === 0) return 0;
  const received = snapshot.unanswered.map((m) => m.receivedAt.getTime());
  const quietEnds = Math.max(...received) + policy.burstQuietMs;
  const capEnds = Math.min(...received) + policy.burstMaxWaitMs;
  return Math.max(0, Math.ceil(Math.min(quietEnds, capEnds) - snapshot.now.getTime()));
}
