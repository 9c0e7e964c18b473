import { enqueueEvents } from '@switchboard/analytics';
import { inTransaction, type ConversationState } from '../transcript/conversation-store.js';
import { envelopeFor, stableEventId } from './analytics-events.js';
import type { EngineContext } from './engine-context.js';
import { sendPlannedParts } from './reply-sender.js';

/**
 * Sends what a committed turn planned and closes it with its `turn` event: latency from the
 * first customer message to the first reply Chatwoot accepted, how many messages were merged,
 * the merge and queue delays and the regenerations. Also the recovery path for a turn a
 * crashed process left in `sending`.
 */
export async function finishTurn(
  engine: EngineContext,
  conversation: ConversationState,
  turnId: string,
): Promise<void> {
  const result = await sendPlannedParts(engine, conversation, turnId);
  await inTransaction(engine.db.pool, async (tx) => {
    const turn = (
      await tx.query<{
        customer_message_ids: string[];
        first_customer_message_at: Date;
        merge_delay_ms: number;
        queue_delay_ms: number;
        regenerations: number;
        handoff: unknown;
        state: string;
        kinds: string[] | null;
      }>(
        `SELECT t.customer_message_ids, t.first_customer_message_at, t.merge_delay_ms, t.queue_delay_ms, t.regenerations,
                t.handoff, t.state,
                (SELECT array_agg(kind) FROM engine_outgoing o WHERE o.turn_id = t.turn_id AND o.state = 'sent') AS kinds
           FROM engine_turns t WHERE t.turn_id = $1 FOR UPDATE`,
        [turnId],
      )
    ).rows[0];
    if (!turn || turn.state !== 'sending') return;
    const sentKinds = turn.kinds ?? [];
    const outcome = turn.handoff
      ? 'handoff'
      : sentKinds.includes('template')
        ? 'template'
        : result.messageIds.length > 0
          ? 'replied'
          : result.abandoned > 0
            ? 'failed'
            : 'no_reply';
    await tx.query(
      `UPDATE engine_turns SET state = 'done', outcome = $2, finished_at = now() WHERE turn_id = $1`,
      [turnId, outcome],
    );
    // Follow-ups travel as turns without customer messages: no `turn` event for them.
    if (turn.customer_message_ids.length === 0) return;
    const firstAt = new Date(turn.first_customer_message_at);
    const accepted = result.firstAcceptedAt;
    await enqueueEvents(tx, [
      {
        ...envelopeFor(conversation),
        id: stableEventId('turn', turnId),
        occurredAt: engine.clock.now().toISOString(),
        type: 'turn',
        payload: {
          turnId,
          customerMessageIds: turn.customer_message_ids.map(Number),
          mergedMessages: turn.customer_message_ids.length,
          firstCustomerMessageAt: firstAt.toISOString(),
          replyAcceptedAt: accepted ? accepted.toISOString() : null,
          latencyMs: accepted ? Math.max(0, accepted.getTime() - firstAt.getTime()) : null,
          mergeDelayMs: turn.merge_delay_ms,
          queueDelayMs: turn.queue_delay_ms,
          regenerations: turn.regenerations,
          outcome,
          replyMessageIds: result.messageIds,
        },
      },
    ]);
  });
}
