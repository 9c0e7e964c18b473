import { createHash } from 'node:crypto';
import type { ConversationPolicy } from '@switchboard/core';
import { enqueueEvents, envelopeFor, stableEventId } from '@switchboard/events';
import { recordHandedOff, type ConversationState, type PendingHandoff } from '../../store/conversations.js';
import { inTransaction } from '../../store/db.js';
import { handUnansweredToHuman } from '../../store/messages.js';
import { conversationActions } from '../conversation-actions.js';
import type { EngineContext } from '../engine-context.js';
import { postOnce } from '../post-once.js';

/**
 * Carries out a decided handoff in Chatwoot, natively: a private note with the reason and
 * summary for the agent (and the call back the customer asked for, on the contact and as a
 * follow-up), `toggle_status` to open only from `pending` (that exact transition is
 * Chatwoot's `bot_handoff!`, the one its reports count), then the optional assignment. The
 * customer-facing message was already sent as the turn's last reply part. A Chatwoot error
 * leaves `pending_handoff` set, so the lane tries again until Chatwoot is reachable.
 */
export async function performPendingHandoff(
  engine: EngineContext,
  conversation: ConversationState,
  policy: ConversationPolicy,
): Promise<void> {
  const handoff = conversation.pendingHandoff;
  if (!handoff) return;
  // The event's time is the decision's (before any Chatwoot call): a customer message written
  // while the calls below are in flight, or retried, is already the human's in the metrics.
  const decidedAt = handoff.decidedAt ?? engine.clock.now().toISOString();
  const client = engine.client(conversation.accountId);
  const teamId = handoff.teamId ?? policy.handoff.teamId;
  const assigneeId = handoff.assigneeId ?? policy.handoff.assigneeId;

  // The lane retries this step until Chatwoot takes every call: what it posts or schedules is
  // keyed by the handoff, so a retry after a half-done attempt adds nothing twice.
  const key = `handoff:${handoffKey(conversation, handoff)}`;
  await postOnce(engine, conversation, `${key}:note`, {
    content: handoffNote(handoff),
    message_type: 'outgoing',
    private: true,
  });
  if (handoff.callback) await recordCallback(engine, conversation, handoff.callback, key);
  const current = await client.getConversation(conversation.conversationId);
  const toggled = current.status === 'pending';
  if (toggled) await client.toggleStatus(conversation.conversationId, 'open');
  if (assigneeId !== undefined || teamId !== undefined) {
    await client.assign(
      conversation.conversationId,
      assigneeId !== undefined ? { assigneeId } : { teamId: teamId! },
    );
  }
  await inTransaction(engine.db.pool, async (tx) => {
    await recordHandedOff(
      tx,
      conversation,
      handoff.reason,
      toggled,
      handoff.callbackOffered ? handoff.turnId : null,
    );
    // Whatever was still waiting is the human's now.
    await handUnansweredToHuman(tx, conversation.accountId, conversation.conversationId);
    await enqueueEvents(tx, [
      {
        ...envelopeFor(conversation),
        id: stableEventId(
          'handoff',
          conversation.accountId,
          conversation.conversationId,
          handoff.turnId ?? Date.now(),
        ),
        occurredAt: decidedAt,
        type: 'handoff',
        payload: {
          reason: handoff.reason,
          detail:
            `${handoff.summary}${toggled ? '' : ` (conversation was ${current.status}; status left unchanged)`}`.slice(
              0,
              1000,
            ),
          ...(teamId !== undefined ? { teamId } : {}),
          ...(assigneeId !== undefined ? { assigneeId } : {}),
        },
      },
    ]);
  });
  engine.logger.info(
    { conversation: conversation.conversationId, reason: handoff.reason, toggled },
    'conversation handed off to a human',
  );
}

/** The handoff's own id: its turn, or (a handoff no turn decided) a digest of what it says. */
function handoffKey(conversation: ConversationState, handoff: PendingHandoff): string {
  if (handoff.turnId) return handoff.turnId;
  const digest = createHash('sha256').update(JSON.stringify(handoff)).digest('hex').slice(0, 16);
  return `${conversation.accountId}:${conversation.conversationId}:${digest}`;
}

function handoffNote(handoff: PendingHandoff): string {
  return (
    handoff.note ?? `Handoff to a human (${handoff.reason.replaceAll('_', ' ')}).\n\n${handoff.summary}`
  ).trim();
}

/**
 * The call back the customer asked for: on the contact (custom attributes callback_number,
 * callback_at, which Chatwoot merges), and as a follow-up for when the team is back, which the
 * customer's next message does not cancel (the promise stands).
 */
async function recordCallback(
  engine: EngineContext,
  conversation: ConversationState,
  callback: NonNullable<PendingHandoff['callback']>,
  key: string,
): Promise<void> {
  const actions = conversationActions(engine, conversation);
  if (conversation.contact.id !== null) {
    await actions.updateContact({
      customAttributes: {
        callback_number: callback.number,
        callback_at: callback.at ?? 'as soon as possible',
      },
    });
  }
  if (callback.at && callback.followUpText) {
    await actions.scheduleFollowUp({
      at: new Date(callback.at),
      text: callback.followUpText,
      cancelOnCustomerMessage: false,
      key: `${key}:callback`,
    });
  }
}
