import type pg from 'pg';
import { enqueueEvents } from '@switchboard/analytics';
import { ChatwootError } from '../chatwoot/chatwoot-error.js';
import { inTransaction, type ConversationState } from '../transcript/conversation-store.js';
import { envelopeFor, stableEventId } from './analytics-events.js';
import type { EngineContext } from './engine-context.js';
import type { PlannedPart } from './plan-reply.js';

export interface SendResult {
  messageIds: number[];
  firstAcceptedAt: Date | null;
  /** Parts given up on (Chatwoot refused them, or the delivery budget ran out). */
  abandoned: number;
}

interface OutgoingRow {
  part: number;
  kind: PlannedPart['kind'];
  request: PlannedPart['request'];
  state: 'planned' | 'posting' | 'sent' | 'abandoned';
  attempts: number;
  posting_since: Date | null;
  message_id: string | null;
  accepted_at: Date | null;
  purpose: string | null;
}

export async function insertPlannedParts(
  client: pg.PoolClient,
  conversation: ConversationState,
  turnId: string,
  parts: PlannedPart[],
  firstPart = 0,
): Promise<void> {
  for (const [index, part] of parts.entries()) {
    await client.query(
      `INSERT INTO engine_outgoing (turn_id, part, account_id, conversation_id, kind, request, purpose)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [
        turnId,
        firstPart + index,
        conversation.accountId,
        conversation.conversationId,
        part.kind,
        JSON.stringify({ ...part.request, ...(part.template ? { template: part.template } : {}) }),
        part.purpose ?? null,
      ],
    );
  }
}

/**
 * Posts a turn's planned parts in order, each exactly once. The idempotency key is
 * (turn, part): `posting` is committed before the POST, so after a crash or a timeout the
 * outcome is unknown and recovery first looks for the webhook echo of the same content
 * from this bot (Chatwoot has no idempotency key); only without an echo is it posted again.
 */
export async function sendPlannedParts(
  engine: EngineContext,
  conversation: ConversationState,
  turnId: string,
): Promise<SendResult> {
  const client = engine.client(conversation.accountId);
  const { pool } = engine.db;
  const rows = (
    await pool.query<OutgoingRow>(
      `SELECT part, kind, request, state, attempts, posting_since, message_id, accepted_at, purpose
         FROM engine_outgoing WHERE turn_id = $1 ORDER BY part`,
      [turnId],
    )
  ).rows;
  for (const row of rows) {
    if (row.state === 'sent' || row.state === 'abandoned') continue;
    if (row.state === 'posting' && row.posting_since) {
      const echo = await findEcho(engine, conversation, row);
      if (echo) {
        await markSent(engine, conversation, turnId, row, echo.messageId, echo.createdAt);
        continue;
      }
      const waitMs = row.posting_since.getTime() + engine.tuning.echoWaitMs - Date.now();
      if (waitMs > 0) {
        await new Promise((resolve) => setTimeout(resolve, waitMs));
        const late = await findEcho(engine, conversation, row);
        if (late) {
          await markSent(engine, conversation, turnId, row, late.messageId, late.createdAt);
          continue;
        }
      }
    }
    if (row.attempts >= engine.tuning.deliveryAttempts) {
      await abandon(engine, conversation, turnId, row, 'delivery attempts exhausted', true);
      continue;
    }
    // Optimistic claim: if anyone else moved this part on, it is theirs.
    const claim = await pool.query(
      `UPDATE engine_outgoing SET state = 'posting', posting_since = now(), attempts = attempts + 1
        WHERE turn_id = $1 AND part = $2 AND state = $3 AND attempts = $4`,
      [turnId, row.part, row.state, row.attempts],
    );
    if (claim.rowCount !== 1) continue;
    try {
      const created = await client.createMessage(conversation.conversationId, row.request);
      await markSent(engine, conversation, turnId, row, created.id, engine.clock.now());
    } catch (error) {
      if (ChatwootError.isInstance(error) && !error.retryable) {
        // Chatwoot refused this message (4xx): sending it again cannot help.
        await abandon(engine, conversation, turnId, row, error.message, false);
        continue;
      }
      throw error;
    }
  }
  const final = (
    await pool.query<{ message_id: string | null; accepted_at: Date | null; state: string }>(
      `SELECT message_id, accepted_at, state FROM engine_outgoing WHERE turn_id = $1 ORDER BY part`,
      [turnId],
    )
  ).rows;
  const sent = final.filter((r) => r.state === 'sent');
  return {
    messageIds: sent.map((r) => Number(r.message_id)),
    firstAcceptedAt: sent[0]?.accepted_at ? new Date(sent[0].accepted_at) : null,
    abandoned: final.filter((r) => r.state === 'abandoned').length,
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

async function markSent(
  engine: EngineContext,
  conversation: ConversationState,
  turnId: string,
  row: OutgoingRow,
  messageId: number,
  acceptedAt: Date,
): Promise<void> {
  await inTransaction(engine.db.pool, async (tx) => {
    await tx.query(
      `UPDATE engine_outgoing SET state = 'sent', message_id = $3, accepted_at = $4 WHERE turn_id = $1 AND part = $2`,
      [turnId, row.part, messageId, acceptedAt],
    );
    const template = (row.request as { template?: PlannedPart['template'] }).template;
    if (row.kind === 'template' && template) {
      await enqueueEvents(tx, [
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
              (row.purpose as 'reengagement' | 'follow_up' | 'window_closed_reply' | null) ?? 'reengagement',
            priceVersion: 'unpriced',
          },
        },
      ]);
    }
  });
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
