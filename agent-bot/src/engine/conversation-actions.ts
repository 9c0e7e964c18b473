import { randomUUID } from 'node:crypto';
import { deterministicUuid } from '@switchboard/events';
import type { ConversationActions } from '../responder/responder.js';
import { QUEUES, sendJob } from '../jobs/job-contracts.js';
import type { ConversationState } from '../store/conversations.js';
import { inTransaction } from '../store/db.js';
import { cancelFollowUpByAssistant, insertFollowUp } from '../store/follow-ups.js';
import type { EngineContext } from './engine-context.js';
import { postOnce } from './post-once.js';

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
    async addPrivateNote(text, options = {}) {
      const note = { content: text, message_type: 'outgoing' as const, private: true };
      if (options.key) await postOnce(engine, conversation, options.key, note);
      else await client.createMessage(conversationId, note);
    },
    async scheduleFollowUp(followUp) {
      const id = followUp.key
        ? deterministicUuid(`follow-up:${accountId}:${conversationId}:${followUp.key}`)
        : randomUUID();
      // Delay from the engine's clock, so a simulated clock schedules consistently.
      const delayMs = Math.max(0, followUp.at.getTime() - engine.clock.now().getTime());
      // The row and its job commit together: a follow-up exists exactly when it will be sent.
      const scheduled = await inTransaction(engine.db.pool, async (tx) => {
        const inserted = await insertFollowUp(tx, {
          id,
          accountId,
          conversationId,
          at: followUp.at,
          text: followUp.text,
          template: followUp.template ?? null,
          templateParams: followUp.templateParams ?? {},
          cancelOnCustomerMessage: followUp.cancelOnCustomerMessage ?? true,
        });
        if (inserted) await sendJob(engine.queue, 'followUp', { id }, { startAfterMs: delayMs, client: tx });
        return inserted;
      });
      if (scheduled) engine.queue.wakeAt(QUEUES.followUp, delayMs);
      return id;
    },
    async cancelFollowUp(id) {
      await cancelFollowUpByAssistant(engine.db.pool, id, accountId);
    },
  };
}
