import sql, { raw } from 'sql-template-tag';
import { toConversationState, type ConversationState } from './conversations.js';
import { run, type Queryable } from './db.js';
import { MESSAGE_COLUMNS, toStored, type StoredMessage } from './messages.js';

/** What a lane needs to decide its next step, read in one round trip. */
export interface LaneSnapshot {
  conversation: ConversationState;
  /** Turns a crash (or a template retry) left in `sending`, oldest first. */
  openTurnIds: string[];
  /** Customer messages not yet answered, oldest first. */
  unanswered: StoredMessage[];
  /** The last TRANSCRIPT_LIMIT messages, oldest first, when asked for (a turn is about to run). */
  transcript: StoredMessage[] | null;
  /** The database's clock, which stamped `receivedAt` (burst timing is measured against it). */
  now: Date;
}

/** The conversation history a turn shows the model (messages, oldest first). */
export const TRANSCRIPT_LIMIT = 100;

/**
 * The snapshot's columns beside `<alias>.*` of an `engine_conversations` row: usable in a SELECT
 * and in the RETURNING of the statement that claims lanes (the first pass needs no extra trip).
 */
export function laneSnapshotColumns(alias: string, withTranscript: boolean): string {
  const ofConversation = `m.account_id = ${alias}.account_id AND m.conversation_id = ${alias}.conversation_id`;
  return `now() AS snapshot_at,
    ARRAY(SELECT t.turn_id::text FROM engine_turns t
           WHERE t.account_id = ${alias}.account_id AND t.conversation_id = ${alias}.conversation_id AND t.state = 'sending'
           ORDER BY t.created_at) AS open_turn_ids,
    (SELECT COALESCE(json_agg(u ORDER BY u.created_at, u.message_id), '[]'::json)
       FROM (SELECT ${MESSAGE_COLUMNS} FROM engine_messages m
              WHERE ${ofConversation} AND m.author = 'customer' AND m.turn_id IS NULL AND m.ignored = false) u) AS unanswered,
    ${withTranscript ? transcriptJson(alias) : 'NULL::json'} AS transcript`;
}

/** The last TRANSCRIPT_LIMIT messages of conversation `<alias>`, oldest first, as one JSON array. */
function transcriptJson(alias: string): string {
  return `(SELECT COALESCE(json_agg(r ORDER BY r.created_at, r.message_id), '[]'::json)
      FROM (SELECT ${MESSAGE_COLUMNS} FROM engine_messages m
             WHERE m.account_id = ${alias}.account_id AND m.conversation_id = ${alias}.conversation_id
             ORDER BY m.created_at DESC, m.message_id DESC LIMIT ${TRANSCRIPT_LIMIT}) r)`;
}

/** The transcript alone (a regeneration, or a turn the lane's snapshot did not bring it for). */
export async function loadTranscript(
  db: Queryable,
  accountId: number,
  conversationId: number,
): Promise<StoredMessage[]> {
  const result = await run<{ transcript: Record<string, unknown>[] }>(
    db,
    sql`SELECT ${raw(transcriptJson('c'))} AS transcript FROM engine_conversations c
         WHERE c.account_id = ${accountId} AND c.conversation_id = ${conversationId}`,
  );
  return (result.rows[0]?.transcript ?? []).map(toStored);
}

/** A row with `engine_conversations.*` and laneSnapshotColumns as a snapshot. */
export function toLaneSnapshot(row: Record<string, unknown>): LaneSnapshot {
  return {
    conversation: toConversationState(row),
    openTurnIds: row.open_turn_ids as string[],
    unanswered: (row.unanswered as Record<string, unknown>[]).map(toStored),
    transcript: row.transcript ? (row.transcript as Record<string, unknown>[]).map(toStored) : null,
    now: new Date(row.snapshot_at as string),
  };
}

export async function loadLaneSnapshot(
  db: Queryable,
  accountId: number,
  conversationId: number,
  options: { withTranscript: boolean },
): Promise<LaneSnapshot | null> {
  const result = await run(
    db,
    sql`SELECT c.*, ${raw(laneSnapshotColumns('c', options.withTranscript))}
          FROM engine_conversations c WHERE c.account_id = ${accountId} AND c.conversation_id = ${conversationId}`,
  );
  const row = result.rows[0] as Record<string, unknown> | undefined;
  return row ? toLaneSnapshot(row) : null;
}
