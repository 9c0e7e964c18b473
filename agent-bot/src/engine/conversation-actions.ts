import { randomUUID } from 'node:crypto';
import type { ConversationActions } from '../assistant/responder.js';
import type { ConversationState } from '../transcript/conversation-store.js';
import { QUEUES, type EngineContext } from './engine-context.js';

/**
 * What the assistant's tools may do to the conversation, carried out through the account's
 * Chatwoot client (read-merge-write where Chatwoot replaces) and the engine's own tables.
 */
export function conversationActions(
  engine: EngineContext,
  conversation: ConversationState,
): ConversationActions {
  const client = engine.client(conversation.accountId);
  const { accountId, conversationId } = conversation;
  return {
    async updateContact(update) {
      if (conversation.contact.id === null) throw new Error('the conversation has no contact');
      await client.updateContact(conversation.contact.id, {
        ...(update.name !== undefined ? { name: update.name } : {}),
        ...(update.email !== undefined ? { email: update.email } : {}),
        ...(update.phone !== undefined ? { phone_number: update.phone } : {}),
        ...(update.customAttributes !== undefined ? { custom_attributes: update.customAttributes } : {}),
      });
    },
    async mergeConversationAttributes(attributes) {
      await client.mergeConversationAttributes(conversationId, attributes);
    },
    async addLabels(labels) {
      await client.addLabels(conversationId, labels);
    },
    async addPrivateNote(text) {
      await client.createMessage(conversationId, { content: text, message_type: 'outgoing', private: true });
    },
    async scheduleFollowUp(followUp) {
      const id = randomUUID();
      const client = await engine.db.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO engine_follow_ups (id, account_id, conversation_id, due_at, text, template, template_params,
                                          cancel_on_customer_message)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            id,
            accountId,
            conversationId,
            followUp.at,
            followUp.text,
            followUp.template ?? null,
            JSON.stringify(followUp.templateParams ?? {}),
            followUp.cancelOnCustomerMessage ?? true,
          ],
        );
        // Delay from the engine's clock, so a simulated clock schedules consistently.
        const delayMs = Math.max(0, followUp.at.getTime() - engine.clock.now().getTime());
        await engine.queue.send(QUEUES.followUp, { id }, { startAfterMs: delayMs, client });
        await client.query('COMMIT');
        engine.queue.wakeAt(QUEUES.followUp, delayMs);
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
      return id;
    },
    async cancelFollowUp(id) {
      await engine.db.pool.query(
        `UPDATE engine_follow_ups SET state = 'cancelled', detail = 'cancelled by the assistant'
          WHERE id = $1 AND account_id = $2 AND state = 'scheduled'`,
        [id, accountId],
      );
    },
  };
}
