import type { SimulatorContext } from '../context.js';
import { epochFloat, epochSeconds, isoTime } from '../clock.js';
import type { ConversationRecord } from '../state/records.js';
import { lastChatMessage, messagesOf, requireRecord } from '../state/store.js';
import { canReply } from '../state/message-window.js';
import { accountWebhookData, contactPushEventData, senderPushEventData } from './actor-presenter.js';
import { messagePushEventData } from './message-presenter.js';

/** Incoming messages the agents have not seen, capped at 10 like `unread_incoming_messages.last(10)`. */
export function unreadCount(context: SimulatorContext, conversation: ConversationRecord): number {
  let count = 0;
  for (const message of messagesOf(context.store, conversation.id)) {
    if (message.messageType !== 'incoming') continue;
    if (conversation.agentLastSeenAt !== null && message.createdAt <= conversation.agentLastSeenAt) continue;
    count += 1;
  }
  return Math.min(count, 10);
}

export function conversationMeta(
  context: SimulatorContext,
  conversation: ConversationRecord,
): Record<string, unknown> {
  const { store } = context;
  const contact = requireRecord(store.contacts, conversation.contactId, 'contact');
  const contactInbox = store.contactInboxes.get(conversation.contactInboxId);
  // `assigned_entity`: a conversation-level bot assignment shows in place of the user.
  let assignee: Record<string, unknown> | null = null;
  let assigneeType: string | null = null;
  if (conversation.assigneeAgentBotId !== null) {
    assignee = senderPushEventData(store, {
      senderType: 'AgentBot',
      senderId: conversation.assigneeAgentBotId,
    });
    assigneeType = assignee ? 'AgentBot' : null;
  } else if (conversation.assigneeId !== null) {
    assignee = senderPushEventData(store, { senderType: 'User', senderId: conversation.assigneeId });
    assigneeType = assignee ? 'User' : null;
  }
  const team = conversation.teamId === null ? undefined : store.teams.get(conversation.teamId);
  return {
    sender: contactPushEventData(contact),
    assignee,
    assignee_type: assigneeType,
    team: team ? { id: team.id, name: team.name } : null,
    hmac_verified: contactInbox?.hmacVerified ?? false,
  };
}

/**
 * `Conversations::EventDataPresenter#webhook_data`: `id` is the display id, `messages` holds at most the
 * last chat message, times are epoch integers except `updated_at` (float) and
 * `first_reply_created_at`/`snoozed_until` (ISO or null). Key order follows the fixtures.
 */
export function conversationWebhookData(
  context: SimulatorContext,
  conversation: ConversationRecord,
): Record<string, unknown> {
  const { store } = context;
  const inbox = requireRecord(store.inboxes, conversation.inboxId, 'inbox');
  const account = requireRecord(store.accounts, conversation.accountId, 'account');
  const contactInbox = requireRecord(store.contactInboxes, conversation.contactInboxId, 'contact inbox');
  const last = lastChatMessage(store, conversation.id);
  return {
    additional_attributes: conversation.additionalAttributes,
    can_reply: canReply(context, conversation),
    channel: inbox.channelType,
    contact_inbox: {
      id: contactInbox.id,
      contact_id: contactInbox.contactId,
      inbox_id: contactInbox.inboxId,
      source_id: contactInbox.sourceId,
      created_at: isoTime(contactInbox.createdAt),
      updated_at: isoTime(contactInbox.updatedAt),
      hmac_verified: contactInbox.hmacVerified,
      pubsub_token: contactInbox.pubsubToken,
    },
    id: conversation.displayId,
    inbox_id: conversation.inboxId,
    messages: last ? [messagePushEventData(context, last)] : [],
    labels: [...conversation.labels],
    meta: conversationMeta(context, conversation),
    status: conversation.status,
    custom_attributes: conversation.customAttributes,
    snoozed_until: conversation.snoozedUntil === null ? null : isoTime(conversation.snoozedUntil),
    unread_count: unreadCount(context, conversation),
    first_reply_created_at:
      conversation.firstReplyCreatedAt === null ? null : isoTime(conversation.firstReplyCreatedAt),
    priority: conversation.priority,
    waiting_since: epochSeconds(conversation.waitingSince),
    agent_last_seen_at: epochSeconds(conversation.agentLastSeenAt),
    contact_last_seen_at: epochSeconds(conversation.contactLastSeenAt),
    last_activity_at: epochSeconds(conversation.lastActivityAt),
    timestamp: epochSeconds(conversation.lastActivityAt),
    created_at: epochSeconds(conversation.createdAt),
    updated_at: epochFloat(conversation.updatedAt),
    account: accountWebhookData(account),
  };
}
