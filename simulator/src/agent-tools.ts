import type { SimulatorContext } from './context.js';
import type { ConversationRecord, ConversationStatus, MessageRecord } from './state/records.js';
import { requireRecord } from './state/store.js';
import { assignConversation, type AssignmentResult } from './services/assign-conversation.js';
import { createOutgoingMessage, type OutgoingMessageInput } from './services/create-outgoing-message.js';
import { toggleStatus, type ToggleStatusResult } from './services/toggle-status.js';
import { updateConversation } from './services/update-conversation.js';
import { createMessage } from './services/create-message.js';
import { wamid } from './ids.js';

/** A conversation by its record, or by account and display id (what the API and webhooks show). */
export type ConversationRef = ConversationRecord | { accountId: number; displayId: number };

/**
 * What a human agent does in the dashboard, as plain functions (same code paths as the API with a user
 * token): reply, private note, assign, change status, resolve, label.
 */
export interface AgentTools {
  reply(
    userId: number,
    conversation: ConversationRef,
    content: string,
    options?: Partial<OutgoingMessageInput>,
  ): MessageRecord;
  note(userId: number, conversation: ConversationRef, content: string): MessageRecord;
  assign(userId: number, conversation: ConversationRef, assigneeId: number | null): AssignmentResult;
  assignBot(userId: number, conversation: ConversationRef, agentBotId: number | null): AssignmentResult;
  toggleStatus(
    userId: number,
    conversation: ConversationRef,
    status?: ConversationStatus,
    snoozedUntil?: number,
  ): ToggleStatusResult;
  resolve(userId: number, conversation: ConversationRef): ToggleStatusResult;
  setLabels(conversation: ConversationRef, labels: string[]): void;
  /**
   * A message typed in the WhatsApp Business app on the same number (coexistence): Chatwoot stores it
   * as `outgoing` with no sender, `content_attributes.external_echo: true` and a wamid, and never sends it.
   */
  businessAppEcho(conversation: ConversationRef, content: string): MessageRecord;
  /** The agent opened the conversation: unread count goes to 0. */
  markSeen(conversation: ConversationRef): void;
}

export function createAgentTools(
  context: SimulatorContext,
  resolve: (ref: ConversationRef) => ConversationRecord,
): AgentTools {
  const userName = (userId: number): string => requireRecord(context.store.users, userId, 'user').name;
  return {
    reply: (userId, ref, content, options = {}) =>
      createOutgoingMessage(context, resolve(ref), { type: 'user', id: userId }, { ...options, content }),
    note: (userId, ref, content) =>
      createOutgoingMessage(context, resolve(ref), { type: 'user', id: userId }, { content, private: true }),
    assign: (userId, ref, assigneeId) =>
      assignConversation(context, resolve(ref), { assigneeId }, userName(userId)),
    assignBot: (userId, ref, agentBotId) =>
      assignConversation(
        context,
        resolve(ref),
        { assigneeId: agentBotId, assigneeType: 'AgentBot' },
        userName(userId),
      ),
    toggleStatus: (userId, ref, status, snoozedUntil) =>
      toggleStatus(context, resolve(ref), { type: 'user', id: userId }, { status, snoozedUntil }),
    resolve: (userId, ref) =>
      toggleStatus(context, resolve(ref), { type: 'user', id: userId }, { status: 'resolved' }),
    setLabels: (ref, labels) => {
      updateConversation(context, resolve(ref), { labels: [...new Set(labels)] });
    },
    businessAppEcho: (ref, content) => {
      const conversation = resolve(ref);
      const message = createMessage(context, conversation, {
        messageType: 'outgoing',
        content,
        contentAttributes: { external_echo: true },
        sourceId: wamid(),
        sender: null,
      });
      // valid_first_reply? counts echoes as human replies.
      if (conversation.firstReplyCreatedAt === null) {
        updateConversation(context, conversation, {
          firstReplyCreatedAt: message.createdAt,
          waitingSince: null,
        });
      }
      return message;
    },
    markSeen: (ref) => {
      const conversation = resolve(ref);
      conversation.agentLastSeenAt = context.clock.nowMs();
    },
  };
}
