import { z } from 'zod';
import { enqueueEvents } from '@switchboard/events';
import { envelopeFor, stableEventId } from '@switchboard/events';
import type { EngineContext } from '../engine/engine-context.js';
import { markLaneDue } from '../queue/lane-lease.js';
import { planReply } from '../engine/plan-reply.js';
import { fillTemplateContents } from './template-content.js';
import { insertPlannedParts } from '../engine/reply-sender.js';
import { inTransaction, loadConversation } from '../transcript/conversation-store.js';
import { errorCode, isWindowFailure, replyWindow } from './reply-window.js';

export const deliveryFailureJobSchema = z.strictObject({
  accountId: z.number().int(),
  conversationId: z.number().int(),
  messageId: z.number().int(),
  error: z.string(),
});

/** Offset of the part numbers a template retry gets within the failed message's turn. */
const RETRY_PART_OFFSET = 1000;

/**
 * A reply of ours failed on WhatsApp (`message_updated` with `external_error`). Recorded once;
 * when the failure means "outside the 24-hour window" (131047, or Chatwoot's template-not-found
 * for free-form text) and the policy allows, the reply goes out again as the re-engagement
 * template. A template's own failure is only recorded: never a loop.
 */
export async function handleDeliveryFailure(
  engine: EngineContext,
  data: unknown,
  attempt: number,
): Promise<void> {
  const job = deliveryFailureJobSchema.parse(data);
  const { pool } = engine.db;
  const conversation = await loadConversation(pool, job.accountId, job.conversationId);
  if (!conversation) return;
  const binding = engine.inbox(job.accountId, conversation.inboxId);
  if (!binding) return;
  const outgoing = (
    await pool.query<{
      turn_id: string;
      part: number;
      kind: string;
      failure_handled: boolean;
      request: { content: string };
    }>(
      `SELECT turn_id, part, kind, failure_handled, request FROM engine_outgoing WHERE account_id = $1 AND message_id = $2`,
      [job.accountId, job.messageId],
    )
  ).rows[0];
  // The failure webhook can beat the POST response that tells us the message id: try again soon.
  if (!outgoing && attempt < 5) throw new Error(`message ${job.messageId} not yet matched to a reply part`);
  if (outgoing?.failure_handled) return;

  const policy = binding.assistant.conversation;
  const window = replyWindow(conversation.lastCustomerMessageAt, engine.clock.now());
  const retry =
    outgoing !== undefined &&
    outgoing.kind !== 'template' &&
    outgoing.part < RETRY_PART_OFFSET &&
    isWindowFailure(job.error) &&
    policy.retryFailedAsTemplate &&
    policy.reengagementTemplate !== undefined;
  const plan = retry
    ? planReply({
        messages: [{ kind: 'text', text: outgoing.request.content }],
        window: { ...window, open: false },
        policy,
        rendersMarkdown: binding.account.rendersMarkdown,
        customerName: conversation.contact.name,
        purpose: 'reengagement',
      })
    : null;
  const retried = plan !== null && plan.parts.length > 0;
  if (plan) await fillTemplateContents(engine, conversation, plan.parts);

  await inTransaction(pool, async (tx) => {
    if (outgoing) {
      const claimed = await tx.query(
        `UPDATE engine_outgoing SET failure_handled = true WHERE turn_id = $1 AND part = $2 AND failure_handled = false RETURNING 1`,
        [outgoing.turn_id, outgoing.part],
      );
      if (claimed.rowCount === 0) return;
      if (retried) {
        await insertPlannedParts(
          tx,
          conversation,
          outgoing.turn_id,
          plan.parts,
          RETRY_PART_OFFSET + outgoing.part,
        );
        await tx.query(`UPDATE engine_turns SET state = 'sending' WHERE turn_id = $1`, [outgoing.turn_id]);
        await markLaneDue(tx, job);
      }
    }
    const code = errorCode(job.error) ?? (isWindowFailure(job.error) ? 'window_closed' : undefined);
    await enqueueEvents(tx, [
      {
        ...envelopeFor(conversation),
        id: stableEventId('delivery_failure', job.accountId, job.messageId),
        occurredAt: engine.clock.now().toISOString(),
        type: 'delivery_failure',
        payload: {
          messageId: job.messageId,
          error: job.error.slice(0, 500),
          ...(code ? { code } : {}),
          action: retried ? 'retried_as_template' : 'recorded',
        },
      },
    ]);
  });
  engine.logger.warn(
    { conversation: job.conversationId, messageId: job.messageId, error: job.error, retried },
    'reply delivery failed',
  );
  // The lane sends it (turns left in `sending` are finished first), never two senders at once.
  if (retried) engine.wakeLanes();
}
