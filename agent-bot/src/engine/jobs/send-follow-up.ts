import { enqueueEvents, envelopeFor, stableEventId } from '@switchboard/events';
import { parseJob } from '../../jobs/job-contracts.js';
import { markLaneDue } from '../../store/lanes.js';
import { loadConversation } from '../../store/conversations.js';
import { inTransaction } from '../../store/db.js';
import { loadFollowUp, settleFollowUp } from '../../store/follow-ups.js';
import { insertPlannedParts } from '../../store/reply-parts.js';
import { insertTurnWithoutMessages, turnExists } from '../../store/turns.js';
import { planReply } from '../../whatsapp/plan-reply.js';
import { replyWindow } from '../../policies/reply-window.js';
import type { EngineContext } from '../engine-context.js';
import { fillTemplateContents } from '../steps/fill-template-contents.js';

/**
 * A follow-up comes due (delayed pg-boss job). Cancelled ones (the customer wrote first) are
 * dropped; otherwise it goes out free-form inside the 24-hour window and as a template once
 * the window has closed, or is skipped with the reason. It is sent as a one-part "turn" so the
 * reply sender's idempotency covers it too (the follow-up id is the turn id).
 */
export async function sendFollowUp(engine: EngineContext, data: unknown): Promise<void> {
  const { id } = parseJob('followUp', data);
  const { pool } = engine.db;
  const row = await loadFollowUp(pool, id);
  if (!row) return;
  const conversation = await loadConversation(pool, Number(row.account_id), Number(row.conversation_id));
  if (!conversation) return;
  const binding = engine.inbox(conversation.accountId, conversation.inboxId);
  if (!binding) return;
  const already = await turnExists(pool, id);
  if (row.state === 'scheduled' && !already) {
    const window = replyWindow(conversation.lastCustomerMessageAt, engine.clock.now(), binding.channel);
    const plan = planReply({
      messages: [{ kind: 'text', text: row.text }],
      window,
      policy: binding.assistant.conversation,
      rendersMarkdown: binding.account.rendersMarkdown,
      channel: binding.channel,
      customerName: conversation.contact.name,
      purpose: 'follow_up',
      ...(row.template ? { template: { name: row.template, params: row.template_params } } : {}),
    });
    await fillTemplateContents(engine, conversation, plan.parts);
    await inTransaction(pool, async (tx) => {
      const claimed = await settleFollowUp(tx, id, plan.parts.length > 0 ? 'sent' : 'skipped', plan.skipped);
      if (!claimed) return;
      if (plan.parts.length === 0) {
        await enqueueEvents(tx, [
          {
            ...envelopeFor(conversation),
            id: stableEventId('follow_up_skipped', id),
            occurredAt: engine.clock.now().toISOString(),
            type: 'error',
            payload: {
              component: 'follow-up',
              message: plan.skipped ?? 'nothing to send',
              code: 'window_closed',
            },
          },
        ]);
        return;
      }
      const turn = {
        turnId: id,
        accountId: conversation.accountId,
        conversationId: conversation.conversationId,
      };
      await insertTurnWithoutMessages(tx, turn);
      await insertPlannedParts(tx, turn, plan.parts);
      await markLaneDue(tx, conversation);
    });
  }
  // Sent by the conversation's lane, which finishes turns in `sending` before anything else
  // (the lane was made due in the same transaction; a retried job finds it due already).
  engine.wakeLanes();
}
