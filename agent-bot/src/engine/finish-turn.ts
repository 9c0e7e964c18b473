import { outboxInsert } from '@switchboard/events';
import { raw } from 'sql-template-tag';
import { numberedFragment } from '../store/numbered-fragment.js';
import type { ConversationState } from '../transcript/conversation-store.js';
import { envelopeFor, stableEventId } from '@switchboard/events';
import type { EngineContext } from './engine-context.js';
import { sendPlannedParts, type OutgoingRow } from './reply-sender.js';

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
 * Sends what a committed turn planned and closes it with its `turn` event: latency from the
 * first customer message to the first reply Chatwoot accepted, how many messages were merged,
 * the merge and queue delays and the regenerations. Also the recovery path for a turn a
 * crashed process left in `sending` (then the turn and its parts are read back). Closing is one
 * conditional statement: whoever moves the turn out of `sending` writes its event, once.
 */
export async function finishTurn(
  engine: EngineContext,
  conversation: ConversationState,
  turnId: string,
  known?: { turn: TurnRecord; parts: OutgoingRow[] },
): Promise<void> {
  const result = await sendPlannedParts(engine, conversation, turnId, known?.parts);
  const turn = known?.turn ?? (await loadOpenTurn(engine, turnId));
  if (!turn) return;
  const outcome = turn.handoff
    ? 'handoff'
    : result.sentKinds.includes('template')
      ? 'template'
      : result.messageIds.length > 0
        ? 'replied'
        : result.abandoned > 0
          ? 'failed'
          : 'no_reply';
  // Follow-ups travel as turns without customer messages: no `turn` event for them.
  const accepted = result.firstAcceptedAt;
  const firstAt = turn.firstCustomerMessageAt;
  const event =
    turn.customerMessageIds.length === 0
      ? null
      : numberedFragment(
          outboxInsert(
            [
              {
                ...envelopeFor(conversation),
                id: stableEventId('turn', turnId),
                occurredAt: engine.clock.now().toISOString(),
                type: 'turn',
                payload: {
                  turnId,
                  customerMessageIds: turn.customerMessageIds,
                  mergedMessages: turn.customerMessageIds.length,
                  firstCustomerMessageAt: firstAt.toISOString(),
                  replyAcceptedAt: accepted ? accepted.toISOString() : null,
                  latencyMs: accepted ? Math.max(0, accepted.getTime() - firstAt.getTime()) : null,
                  mergeDelayMs: turn.mergeDelayMs,
                  queueDelayMs: turn.queueDelayMs,
                  regenerations: turn.regenerations,
                  outcome,
                  replyMessageIds: result.messageIds,
                },
              },
            ],
            raw('EXISTS (SELECT 1 FROM done)'),
          ),
          3,
        );
  await engine.db.pool.query(
    `WITH done AS (
       UPDATE engine_turns SET state = 'done', outcome = $2, finished_at = now()
        WHERE turn_id = $1 AND state = 'sending' RETURNING 1)
     ${event ? `, recorded AS (${event.sql})` : ''}
     SELECT count(*) FROM done`,
    [turnId, outcome, ...(event ? event.values : [])],
  );
}

async function loadOpenTurn(engine: EngineContext, turnId: string): Promise<TurnRecord | null> {
  const row = (
    await engine.db.pool.query<{
      customer_message_ids: string[];
      first_customer_message_at: Date;
      merge_delay_ms: number;
      queue_delay_ms: number;
      regenerations: number;
      handoff: unknown;
    }>(
      `SELECT customer_message_ids, first_customer_message_at, merge_delay_ms, queue_delay_ms, regenerations, handoff
         FROM engine_turns WHERE turn_id = $1 AND state = 'sending'`,
      [turnId],
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
