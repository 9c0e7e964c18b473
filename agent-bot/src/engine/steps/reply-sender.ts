import { enqueueEvents, envelopeFor, outboxInsert, stableEventId } from '@switchboard/events';
import type { Sql } from 'sql-template-tag';
import { ChatwootError } from '../../chatwoot/chatwoot-error.js';
import { oweHandoff, type ConversationState } from '../../store/conversations.js';
import { inTransaction } from '../../store/db.js';
import {
  abandonPart,
  claimPart,
  findEcho,
  loadPartOutcomes,
  loadParts,
  markPartSent,
  type OutgoingRow,
} from '../../store/reply-parts.js';
import type { PlannedPart } from '../../whatsapp/plan-reply.js';
import type { EngineContext } from '../engine-context.js';

export type { OutgoingRow } from '../../store/reply-parts.js';

export interface SendResult {
  messageIds: number[];
  /** Kinds of the parts that were sent (template, text, …), in part order. */
  sentKinds: PlannedPart['kind'][];
  firstAcceptedAt: Date | null;
  /** Parts given up on (Chatwoot refused them, or the delivery budget ran out). */
  abandoned: number;
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
  const rows = known ?? (await loadParts(pool, turnId));
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
        const echo = await findEcho(pool, conversation, row);
        if (echo) {
          await sent(row, echo.messageId, echo.createdAt);
          continue;
        }
        const waitMs = new Date(row.posting_since).getTime() + engine.tuning.echoWaitMs - Date.now();
        if (waitMs > 0) {
          await new Promise((resolve) => setTimeout(resolve, waitMs));
          const late = await findEcho(pool, conversation, row);
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
      if (!(await claimPart(pool, turnId, row))) {
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
    ? await loadPartOutcomes(pool, turnId)
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
  const recorded =
    row.kind === 'template' && template
      ? (whenSent: Sql) =>
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
            whenSent,
          )
      : undefined;
  await markPartSent(engine.db.pool, turnId, row.part, messageId, acceptedAt, recorded);
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
    await abandonPart(tx, turnId, row.part);
    if (handOff) {
      // Chatwoot kept failing: a human should look, once Chatwoot takes calls again (the lane
      // retries the pending handoff until it goes through).
      await oweHandoff(tx, conversation, {
        reason: 'delivery_failure',
        summary: `The bot could not deliver its reply: ${why}.`,
        turnId,
      });
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
