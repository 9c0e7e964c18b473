import sql, { empty, join, raw, type Sql } from 'sql-template-tag';
import type { PlannedPart } from '../whatsapp/plan-reply.js';
import { run, type Queryable } from './db.js';
import type { TurnClose } from './turns.js';

/**
 * The statements on `engine_outgoing`: a turn's reply parts, each posted exactly once. The
 * idempotency key is (turn, part); `posting` is committed before the POST.
 */

export interface OutgoingRow {
  part: number;
  kind: PlannedPart['kind'];
  request: PlannedPart['request'];
  state: 'planned' | 'posting' | 'sent' | 'abandoned';
  attempts: number;
  posting_since: Date | null;
  message_id: string | null;
  accepted_at: Date | null;
  purpose: string | null;
  /** Set in memory on the part the turn's own commit already claimed: POST it straight away. */
  claimedByCommit?: boolean;
}

/** Whose parts: a turn of a conversation. */
export interface TurnKey {
  turnId: string;
  accountId: number;
  conversationId: number;
}

/**
 * The INSERT of planned parts, for use alone or inside a turn's commit statement. A row that
 * comes already `posting` gets its `posting_since`: the commit that plans a reply is then also
 * the claim of its first message, so a crash right after still finds the claim.
 */
export function insertParts(
  key: TurnKey,
  rows: OutgoingRow[],
  /** Insert only when it holds (a guarded commit). */
  when?: Sql,
): Sql {
  return sql`INSERT INTO engine_outgoing (turn_id, part, account_id, conversation_id, kind, request, purpose, state, attempts, posting_since)
     SELECT ${key.turnId}::uuid, r.part, ${key.accountId}::bigint, ${key.conversationId}::bigint, r.kind, r.request, r.purpose,
            r.state, r.attempts, CASE WHEN r.state = 'posting' THEN now() END
       FROM jsonb_to_recordset(${partRecords(rows)}::jsonb) AS r(part int, kind text, request jsonb, purpose text, state text, attempts int)
      ${when ? sql`WHERE ${when}` : empty}
     ON CONFLICT DO NOTHING`;
}

/**
 * A plan's parts as the rows insertParts stores (with `claimFirst`, the first one already
 * `posting`, attempt 1); the fresh path hands the same rows to the sender, no read back.
 */
export function plannedRows(parts: PlannedPart[], firstPart = 0, claimFirst = false): OutgoingRow[] {
  return parts.map((part, index) => {
    const claimed = claimFirst && index === 0;
    return {
      part: firstPart + index,
      kind: part.kind,
      request: { ...part.request, ...(part.template ? { template: part.template } : {}) },
      purpose: part.purpose ?? null,
      state: claimed ? 'posting' : 'planned',
      attempts: claimed ? 1 : 0,
      posting_since: null,
      message_id: null,
      accepted_at: null,
      claimedByCommit: claimed,
    };
  });
}

function partRecords(rows: OutgoingRow[]): string {
  return JSON.stringify(
    rows.map(({ part, kind, request, purpose, state, attempts }) => ({
      part,
      kind,
      request,
      purpose,
      state,
      attempts,
    })),
  );
}

export async function insertPlannedParts(
  db: Queryable,
  key: TurnKey,
  parts: PlannedPart[],
  firstPart = 0,
): Promise<void> {
  if (parts.length === 0) return;
  await run(db, insertParts(key, plannedRows(parts, firstPart)));
}

export async function loadParts(db: Queryable, turnId: string): Promise<OutgoingRow[]> {
  const result = await run<OutgoingRow>(
    db,
    sql`SELECT part, kind, request, state, attempts, posting_since, message_id, accepted_at, purpose
          FROM engine_outgoing WHERE turn_id = ${turnId} ORDER BY part`,
  );
  return result.rows;
}

/**
 * The marker a part's POST carries (content_attributes, see REPLY_MARKER_KEY): its row's key,
 * so the row committed as `posting` before the POST is the recorded intent, marker included.
 */
export function replyMarker(turnId: string, part: number): string {
  return `${turnId}:${part}`;
}

/** Optimistic claim for posting: false when anyone else moved this part on (it is theirs). */
export async function claimPart(db: Queryable, turnId: string, row: OutgoingRow): Promise<boolean> {
  const claim = await run(
    db,
    sql`UPDATE engine_outgoing SET state = 'posting', posting_since = now(), attempts = attempts + 1
         WHERE turn_id = ${turnId} AND part = ${row.part} AND state = ${row.state} AND attempts = ${row.attempts}`,
  );
  return claim.rowCount === 1;
}

export interface PartOutcome {
  part: number;
  state: OutgoingRow['state'];
  messageId: number | null;
  acceptedAt: Date | null;
}

export async function loadPartOutcomes(db: Queryable, turnId: string): Promise<PartOutcome[]> {
  const result = await run<{
    part: number;
    message_id: string | null;
    accepted_at: Date | null;
    state: string;
  }>(
    db,
    sql`SELECT part, message_id, accepted_at, state FROM engine_outgoing WHERE turn_id = ${turnId} ORDER BY part`,
  );
  return result.rows.map((r) => ({
    part: r.part,
    state: r.state as OutgoingRow['state'],
    messageId: r.message_id ? Number(r.message_id) : null,
    acceptedAt: r.accepted_at ? new Date(r.accepted_at) : null,
  }));
}

/**
 * The webhook echo of a part whose POST outcome is unknown (Chatwoot has no idempotency key):
 * a message of this bot with the same content, received since the claim and not matched to
 * another part yet.
 */
export async function findEcho(
  db: Queryable,
  conversation: { accountId: number; conversationId: number },
  row: OutgoingRow,
): Promise<{ messageId: number; createdAt: Date } | null> {
  const result = await run<{ message_id: string; created_at: Date }>(
    db,
    sql`SELECT m.message_id, m.created_at FROM engine_messages m
         WHERE m.account_id = ${conversation.accountId} AND m.conversation_id = ${conversation.conversationId}
           AND m.author = 'ai' AND m.private = ${Boolean(row.request.private)}
           AND m.content IS NOT DISTINCT FROM ${row.request.content}
           AND m.received_at >= ${row.posting_since}::timestamptz - interval '5 seconds'
           AND NOT EXISTS (SELECT 1 FROM engine_outgoing o WHERE o.account_id = m.account_id AND o.message_id = m.message_id)
         ORDER BY m.message_id LIMIT 1`,
  );
  const hit = result.rows[0];
  return hit ? { messageId: Number(hit.message_id), createdAt: new Date(hit.created_at) } : null;
}

/** A WhatsApp fee as recorded on its part (what a refund takes back). */
export interface RecordedFee {
  totalUsd: string;
  priceVersion: string;
  market?: string;
  country?: string | null;
}

/**
 * The posted message's own row and the events that go with it (a CTE body given the condition
 * that the part moved; the events given the condition that the row was inserted here).
 */
export interface PostedMessageWrite {
  row: (whenSent: Sql) => Sql;
  events: (whenStored: Sql) => Sql;
}

/**
 * Marks a part sent (with the fee charged for it, if any) and writes `recorded` with it (its
 * events as an outbox insert, its fee into the spend ledger: each a CTE body given the condition
 * that the part moved) and `posted` (the message's row, so its webhook echo finds it stored): one
 * statement. With `close` (a turn's last part, store/turns.ts turnCloseCtes) the turn is closed
 * and the lane let go in the same statement. Returns whether this statement inserted the message
 * row (false when the echo stored it first, or without `posted`) and what the close said of the lane.
 */
export async function markPartSent(
  db: Queryable,
  turnId: string,
  part: number,
  messageId: number,
  acceptedAt: Date,
  recorded: ((whenSent: Sql) => Sql)[] = [],
  fee: RecordedFee | null = null,
  posted: PostedMessageWrite | null = null,
  close: TurnClose | null = null,
): Promise<{ posted: boolean; kept: boolean | null }> {
  const whenSent = sql`EXISTS (SELECT 1 FROM sent)`;
  const also = recorded.map((write, index) => sql`, ${raw(`recorded_${index}`)} AS (${write(whenSent)})`);
  if (posted) {
    also.push(sql`, posted AS (${posted.row(whenSent)})`);
    also.push(sql`, posted_events AS (${posted.events(sql`EXISTS (SELECT 1 FROM posted)`)})`);
  }
  for (const cte of close?.ctes ?? []) also.push(sql`, ${cte}`);
  const result = await run<{ posted: boolean; kept: boolean | null }>(
    db,
    sql`WITH sent AS (
          UPDATE engine_outgoing SET state = 'sent', message_id = ${messageId}, accepted_at = ${acceptedAt},
                 fee = ${fee ? JSON.stringify(fee) : null}::jsonb
           WHERE turn_id = ${turnId} AND part = ${part} RETURNING 1)
        ${also.length > 0 ? join(also, '') : empty}
        SELECT ${posted ? raw('EXISTS (SELECT 1 FROM posted)') : raw('false')} AS posted,
               ${close ? close.kept : raw('NULL::boolean')} AS kept`,
  );
  return { posted: result.rows[0]?.posted === true, kept: result.rows[0]?.kept ?? null };
}

export async function abandonPart(db: Queryable, turnId: string, part: number): Promise<void> {
  await run(
    db,
    sql`UPDATE engine_outgoing SET state = 'abandoned' WHERE turn_id = ${turnId} AND part = ${part}`,
  );
}

export interface FailedPart {
  turn_id: string;
  part: number;
  kind: string;
  failure_handled: boolean;
  request: { content: string; private?: boolean; template?: { category?: string } };
  /** The WhatsApp fee recorded when Chatwoot accepted it; null when nothing was charged. */
  fee: RecordedFee | null;
}

/** The reply part Chatwoot reported a delivery failure for, by the message id it got. */
export async function findPartByMessage(
  db: Queryable,
  accountId: number,
  messageId: number,
): Promise<FailedPart | undefined> {
  const result = await run<FailedPart>(
    db,
    sql`SELECT turn_id, part, kind, failure_handled, request, fee FROM engine_outgoing
         WHERE account_id = ${accountId} AND message_id = ${messageId}`,
  );
  return result.rows[0];
}

/** Claims a part's delivery failure for handling: false when it was handled already. */
export async function claimFailure(db: Queryable, turnId: string, part: number): Promise<boolean> {
  const claimed = await run(
    db,
    sql`UPDATE engine_outgoing SET failure_handled = true
         WHERE turn_id = ${turnId} AND part = ${part} AND failure_handled = false RETURNING 1`,
  );
  return (claimed.rowCount ?? 0) > 0;
}
