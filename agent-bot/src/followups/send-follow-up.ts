import { z } from 'zod';
import { insertPlannedParts } from '../engine/reply-sender.js';
import type { EngineContext } from '../engine/engine-context.js';
import { markLaneDue } from '../queue/lane-lease.js';
import { planReply } from '../engine/plan-reply.js';
import { fillTemplateContents } from '../whatsapp/template-content.js';
import { inTransaction, loadConversation } from '../transcript/conversation-store.js';
import { replyWindow } from '../whatsapp/reply-window.js';
import { enqueueEvents } from '@switchboard/events';
import { envelopeFor, stableEventId } from '@switchboard/events';

export const followUpJobSchema = z.strictObject({ id: z.string().uuid() });

/**
 * A follow-up comes due (delayed pg-boss job). Cancelled ones (the customer wrote first) are
 * dropped; otherwise it goes out free-form inside the 24-hour window and as a template once
 * the window has closed, or is skipped with the reason. It is sent as a one-part "turn" so the
 * reply sender's idempotency covers it too (the follow-up id is the turn id).
 */
export async function sendFollowUp(engine: EngineContext, data: unknown): Promise<void> {
  const { id } = followUpJobSchema.parse(data);
  const { pool } = engine.db;
  const row = (
    await pool.query<{
      account_id: string;
      conversation_id: string;
      text: string;
      template: string | null;
      template_params: Record<string, string>;
      state: string;
    }>(
      `SELECT account_id, conversation_id, text, template, template_params, state FROM engine_follow_ups WHERE id = $1`,
      [id],
    )
  ).rows[0];
  if (!row) return;
  const conversation = await loadConversation(pool, Number(row.account_id), Number(row.conversation_id));
  if (!conversation) return;
  const binding = engine.inbox(conversation.accountId, conversation.inboxId);
  if (!binding) return;
  const already = await pool.query(`SELECT 1 FROM engine_turns WHERE turn_id = $1`, [id]);
  if (row.state === 'scheduled' && already.rowCount === 0) {
    const window = replyWindow(conversation.lastCustomerMessageAt, engine.clock.now());
    const plan = planReply({
      messages: [{ kind: 'text', text: row.text }],
      window,
      policy: binding.assistant.conversation,
      rendersMarkdown: binding.account.rendersMarkdown,
      customerName: conversation.contact.name,
      purpose: 'follow_up',
      ...(row.template ? { template: { name: row.template, params: row.template_params } } : {}),
    });
    await fillTemplateContents(engine, conversation, plan.parts);
    await inTransaction(pool, async (tx) => {
      const claimed = await tx.query(
        `UPDATE engine_follow_ups SET state = $2, detail = $3 WHERE id = $1 AND state = 'scheduled' RETURNING 1`,
        [id, plan.parts.length > 0 ? 'sent' : 'skipped', plan.skipped],
      );
      if (claimed.rowCount === 0) return;
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
      await tx.query(
        `INSERT INTO engine_turns (turn_id, account_id, conversation_id, state, customer_message_ids, first_customer_message_at)
         VALUES ($1, $2, $3, 'sending', '{}', now())`,
        [id, conversation.accountId, conversation.conversationId],
      );
      await insertPlannedParts(tx, conversation, id, plan.parts);
      await markLaneDue(tx, conversation);
    });
  }
  // Sent by the conversation's lane, which finishes turns in `sending` before anything else
  // (the lane was made due in the same transaction; a retried job finds it due already).
  engine.wakeLanes();
}
