import type pg from 'pg';
import { enqueueEvents, outboxInsert } from '@switchboard/events';
import { raw } from 'sql-template-tag';
import { numberedFragment } from '../store/numbered-fragment.js';
import { ChatwootError } from '../chatwoot/chatwoot-error.js';
import { inTransaction, type ConversationState } from '../transcript/conversation-store.js';
import { envelopeFor, stableEventId } from '@switchboard/events';
import type { EngineContext } from './engine-context.js';
import type { PlannedPart } from './plan-reply.js';

export interface SendResult {
  messageIds: number[];
  /** Kinds of the parts that were sent (template, text, …), in part order. */
  sentKinds: PlannedPart['kind'][];
  firstAcceptedAt: Date | null;
  /** Parts given up on (Chatwoot refused them, or the delivery budget ran out). */
  abandoned: number;
}

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

/**
 * The INSERT of planned parts as SQL (params `$turn`, `$account`, `$conversation`, `$parts`),
 * for use alone or inside a turn's commit statement (`$parts` from partRecords). A row that comes
 * already `posting` gets its `posting_since`: the commit that plans a reply is then also the
 * claim of its first message, so a crash right after still finds the claim (see below).
 */
export function insertPartsSql(
  turn: string,
  account: string,
  conversation: string,
  parts: string,
  /** SQL condition: insert only when it holds (a guarded commit). */
  when?: string,
): string {
  return `INSERT INTO engine_outgoing (turn_id, part, account_id, conversation_id, kind, request, purpose, state, attempts, posting_since)
     SELECT ${turn}::uuid, r.part, ${account}::bigint, ${conversation}::bigint, r.kind, r.request, r.purpose, r.state, r.attempts,
            CASE WHEN r.state = 'posting' THEN now() END
       FROM jsonb_to_recordset(${parts}::jsonb) AS r(part int, kind text, request jsonb, purpose text, state text, attempts int)
      ${when ? `WHERE ${when}` : ''}
     ON CONFLICT DO NOTHING`;
}

/**
 * A plan's parts as the rows insertPartsSql stores (with `claimFirst`, the first one already
 * `posting`, attempt 1); the fresh path hands the same rows to sendPlannedParts, no read back.
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

/** The `$parts` parameter of insertPartsSql. */
export function partRecords(rows: OutgoingRow[]): string {
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
  client: Pick<pg.PoolClient, 'query'>,
  conversation: ConversationState,
  turnId: string,
  parts: PlannedPart[],
  firstPart = 0,
): Promise<void> {
  if (parts.length === 0) return;
  await client.query(insertPartsSql('$1', '$2', '$3', '$4'), [
    turnId,
    conversation.accountId,
    conversation.conversationId,
    partRecords(plannedRows(parts, firstPart)),
  ]);
}

/**
 * Posts a turn's planned parts in order, each exactly once. The idempotency key is
 * (turn, part): `posting` is committed before the POST, so after a crash or a timeout the
 * outcome is unknown and recovery first looks for the webhook echo of the same content
 * from this bot (Chatwoot has no idempotency key); only without an echo is it posted again.
 * `known` are the rows the caller just committed (the fresh path); otherwise they are read.
 */
export async function sendPlannedParts(
  engine: EngineContext,
  conversation: ConversationState,
  turnId: string,
  known?: OutgoingRow[],
): Promise<SendResult> {
  const client = engine.client(conversation.accountId);
  const { pool } = engine.db;
  const rows =
    known ??
    (
      await pool.query<OutgoingRow>(
        `SELECT part, kind, request, state, attempts, posting_since, message_id, accepted_at, purpose
           FROM engine_outgoing WHERE turn_id = $1 ORDER BY part`,
        [turnId],
      )
    ).rows;
  const final = new Map<
    number,
    { state: OutgoingRow['state']; messageId: number | null; acceptedAt: Date | null }
  >();
  let someoneElse = false;
  const sent = async (row: OutgoingRow, messageId: number, acceptedAt: Date): Promise<void> => {
    await markSent(engine, conversation, turnId, row, messageId, acceptedAt);
    final.set(row.part, { state: 'sent', messageId, acceptedAt });
  };
  for (const row of rows) {
    if (row.state === 'sent' || row.state === 'abandoned') {
      const acceptedAt = row.accepted_at ? new Date(row.accepted_at) : null;
      final.set(row.part, {
        state: row.state,
        messageId: row.message_id ? Number(row.message_id) : null,
        acceptedAt,
      });
      continue;
    }
    if (!row.claimedByCommit) {
      if (row.state === 'posting' && row.posting_since) {
        const echo = await findEcho(engine, conversation, row);
        if (echo) {
          await sent(row, echo.messageId, echo.createdAt);
          continue;
        }
        const waitMs = new Date(row.posting_since).getTime() + engine.tuning.echoWaitMs - Date.now();
        if (waitMs > 0) {
          await new Promise((resolve) => setTimeout(resolve, waitMs));
          const late = await findEcho(engine, conversation, row);
          if (late) {
            await sent(row, late.messageId, late.createdAt);
            continue;
          }
        }
      }
      if (row.attempts >= engine.tuning.deliveryAttempts) {
        await abandon(engine, conversation, turnId, row, 'delivery attempts exhausted', true);
        final.set(row.part, { state: 'abandoned', messageId: null, acceptedAt: null });
        continue;
      }
      // Optimistic claim: if anyone else moved this part on, it is theirs.
      const claim = await pool.query(
        `UPDATE engine_outgoing SET state = 'posting', posting_since = now(), attempts = attempts + 1
          WHERE turn_id = $1 AND part = $2 AND state = $3 AND attempts = $4`,
        [turnId, row.part, row.state, row.attempts],
      );
      if (claim.rowCount !== 1) {
        someoneElse = true;
        continue;
      }
    }
    try {
      const created = await client.createMessage(conversation.conversationId, row.request);
      await sent(row, created.id, engine.clock.now());
    } catch (error) {
      if (ChatwootError.isInstance(error) && !error.retryable) {
        // Chatwoot refused this message (4xx): sending it again cannot help.
        await abandon(engine, conversation, turnId, row, error.message, false);
        final.set(row.part, { state: 'abandoned', messageId: null, acceptedAt: null });
        continue;
      }
      throw error;
    }
  }
  // A part another holder moved on: its outcome is only in the database.
  const outcomes = someoneElse
    ? (
        await pool.query<{
          part: number;
          message_id: string | null;
          accepted_at: Date | null;
          state: string;
        }>(
          `SELECT part, message_id, accepted_at, state FROM engine_outgoing WHERE turn_id = $1 ORDER BY part`,
          [turnId],
        )
      ).rows.map((r) => ({
        part: r.part,
        state: r.state as OutgoingRow['state'],
        messageId: r.message_id ? Number(r.message_id) : null,
        acceptedAt: r.accepted_at ? new Date(r.accepted_at) : null,
      }))
    : rows.filter((r) => final.has(r.part)).map((r) => ({ part: r.part, ...final.get(r.part)! }));
  const kindOf = new Map(rows.map((r) => [r.part, r.kind]));
  const delivered = outcomes.filter((r) => r.state === 'sent');
  return {
    messageIds: delivered.map((r) => r.messageId!),
    sentKinds: delivered.map((r) => kindOf.get(r.part)!),
    firstAcceptedAt: delivered[0]?.acceptedAt ?? null,
    abandoned: outcomes.filter((r) => r.state === 'abandoned').length,
  };
}

async function findEcho(
  engine: EngineContext,
  conversation: ConversationState,
  row: OutgoingRow,
): Promise<{ messageId: number; createdAt: Date } | null> {
  const result = await engine.db.pool.query<{ message_id: string; created_at: Date }>(
    `SELECT m.message_id, m.created_at FROM engine_messages m
      WHERE m.account_id = $1 AND m.conversation_id = $2 AND m.author = 'ai' AND m.private = $5
        AND m.content IS NOT DISTINCT FROM $3 AND m.received_at >= $4::timestamptz - interval '5 seconds'
        AND NOT EXISTS (SELECT 1 FROM engine_outgoing o WHERE o.account_id = m.account_id AND o.message_id = m.message_id)
      ORDER BY m.message_id LIMIT 1`,
    [
      conversation.accountId,
      conversation.conversationId,
      row.request.content,
      row.posting_since,
      Boolean(row.request.private),
    ],
  );
  const hit = result.rows[0];
  return hit ? { messageId: Number(hit.message_id), createdAt: new Date(hit.created_at) } : null;
}

/** Marks a part sent and, for a template, records it: one statement, atomic. */
async function markSent(
  engine: EngineContext,
  conversation: ConversationState,
  turnId: string,
  row: OutgoingRow,
  messageId: number,
  acceptedAt: Date,
): Promise<void> {
  const template = (row.request as { template?: PlannedPart['template'] }).template;
  const event =
    row.kind === 'template' && template
      ? numberedFragment(
          outboxInsert(
            [
              {
                ...envelopeFor(conversation),
                id: stableEventId('template_sent', turnId, row.part),
                occurredAt: acceptedAt.toISOString(),
                type: 'template_sent',
                payload: {
                  messageId,
                  template: template.name,
                  language: template.language,
                  category: template.category,
                  purpose:
                    (row.purpose as 'reengagement' | 'follow_up' | 'window_closed_reply' | null) ??
                    'reengagement',
                  priceVersion: 'unpriced',
                },
              },
            ],
            raw('EXISTS (SELECT 1 FROM sent)'),
          ),
          5,
        )
      : null;
  await engine.db.pool.query(
    `WITH sent AS (
       UPDATE engine_outgoing SET state = 'sent', message_id = $3, accepted_at = $4
        WHERE turn_id = $1 AND part = $2 RETURNING 1)
     ${event ? `, recorded AS (${event.sql})` : ''}
     SELECT count(*) FROM sent`,
    [turnId, row.part, messageId, acceptedAt, ...(event ? event.values : [])],
  );
}

async function abandon(
  engine: EngineContext,
  conversation: ConversationState,
  turnId: string,
  row: OutgoingRow,
  why: string,
  handOff: boolean,
): Promise<void> {
  await inTransaction(engine.db.pool, async (tx) => {
    await tx.query(`UPDATE engine_outgoing SET state = 'abandoned' WHERE turn_id = $1 AND part = $2`, [
      turnId,
      row.part,
    ]);
    if (handOff) {
      // Chatwoot kept failing: a human should look, once Chatwoot takes calls again (the lane
      // retries the pending handoff until it goes through).
      await tx.query(
        `UPDATE engine_conversations SET pending_handoff = COALESCE(pending_handoff, $3::jsonb)
          WHERE account_id = $1 AND conversation_id = $2`,
        [
          conversation.accountId,
          conversation.conversationId,
          JSON.stringify({
            reason: 'delivery_failure',
            summary: `The bot could not deliver its reply: ${why}.`,
            turnId,
          }),
        ],
      );
    }
    await enqueueEvents(tx, [
      {
        ...envelopeFor(conversation),
        id: stableEventId('reply_abandoned', turnId, row.part),
        occurredAt: engine.clock.now().toISOString(),
        type: 'error',
        payload: { component: 'reply-sender', message: why.slice(0, 500) },
      },
    ]);
  });
  engine.logger.warn(
    { conversation: conversation.conversationId, turnId, part: row.part, why },
    'reply part abandoned',
  );
}
