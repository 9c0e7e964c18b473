import { enqueueEvents, envelopeFor, stableEventId } from '@switchboard/events';
import sql from 'sql-template-tag';
import { spendLedgerInsert } from '../../assistant/budget/spend-ledger.js';
import { parseJob } from '../../jobs/job-contracts.js';
import { refundedFeeEvent } from '../../pricing/whatsapp-fee-events.js';
import { markLaneDue } from '../../store/lanes.js';
import { loadConversation } from '../../store/conversations.js';
import { inTransaction, run } from '../../store/db.js';
import {
  claimFailure,
  findPartByMessage,
  insertPlannedParts,
  type FailedPart,
} from '../../store/reply-parts.js';
import { reopenTurn } from '../../store/turns.js';
import { planReply } from '../../whatsapp/plan-reply.js';
import { errorCode, isWindowFailure, replyWindow } from '../../policies/reply-window.js';
import type { EngineContext } from '../engine-context.js';
import { fillTemplateContents } from '../steps/fill-template-contents.js';

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
  const job = parseJob('deliveryFailure', data);
  const { pool } = engine.db;
  const conversation = await loadConversation(pool, job.accountId, job.conversationId);
  if (!conversation) return;
  const binding = engine.inbox(job.accountId, conversation.inboxId);
  if (!binding) return;
  const outgoing = await findPartByMessage(pool, job.accountId, job.messageId);
  // The failure webhook can beat the POST response that tells us the message id: try again soon.
  if (!outgoing && attempt < 5) throw new Error(`message ${job.messageId} not yet matched to a reply part`);
  if (outgoing?.failure_handled) return;

  const policy = binding.assistant.conversation;
  const window = replyWindow(conversation.lastCustomerMessageAt, engine.clock.now(), binding.channel);
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
  // Meta charges delivered messages only: the fee recorded at acceptance is taken back, exactly.
  const fee = outgoing?.fee ?? null;
  const failedAt = engine.clock.now();
  const refund =
    outgoing && fee
      ? refundedFeeEvent(
          conversation,
          {
            turnId: outgoing.turn_id,
            part: outgoing.part,
            messageId: job.messageId,
            failedAt,
            category: feeCategory(outgoing),
          },
          fee,
        )
      : null;

  await inTransaction(pool, async (tx) => {
    if (outgoing) {
      if (!(await claimFailure(tx, outgoing.turn_id, outgoing.part))) return false;
      if (refund && fee) {
        await enqueueEvents(tx, [refund]);
        const entry = {
          assistant: conversation.assistant,
          accountId: conversation.accountId,
          conversationId: conversation.conversationId,
          turnId: outgoing.turn_id,
          kind: 'whatsapp',
          costUsd: `-${fee.totalUsd}`,
          priceVersion: fee.priceVersion,
          occurredAt: failedAt,
          // The refunded message leaves the month's count for volume tiers.
          market: fee.market ?? null,
          category: feeCategory(outgoing),
        };
        await run(tx, spendLedgerInsert(entry, sql`true`));
      }
      if (retried) {
        await insertPlannedParts(
          tx,
          {
            turnId: outgoing.turn_id,
            accountId: conversation.accountId,
            conversationId: conversation.conversationId,
          },
          plan.parts,
          RETRY_PART_OFFSET + outgoing.part,
        );
        await reopenTurn(tx, outgoing.turn_id);
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
    return true;
  });
  engine.logger.warn(
    { conversation: job.conversationId, messageId: job.messageId, error: job.error, retried },
    'reply delivery failed',
  );
  // The lane sends it (turns left in `sending` are finished first), never two senders at once.
  if (retried) engine.wakeLanes();
}

function feeCategory(part: FailedPart): 'marketing' | 'utility' | 'authentication' | 'service' {
  const category = part.kind === 'template' ? part.request.template?.category : undefined;
  return category === 'marketing' || category === 'utility' || category === 'authentication'
    ? category
    : 'service';
}
