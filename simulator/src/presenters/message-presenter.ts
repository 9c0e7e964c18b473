import type { SimulatorContext } from '../context.js';
import { epochSeconds, isoTime } from '../clock.js';
import { MESSAGE_TYPES, type MessageRecord } from '../state/records.js';
import { requireRecord } from '../state/store.js';
import { accountWebhookData, senderPushEventData, senderWebhookData } from './actor-presenter.js';
import { attachmentPushEventData } from './attachment-presenter.js';
import { conversationWebhookData, unreadCount } from './conversation-presenter.js';

function attachmentsOf(context: SimulatorContext, message: MessageRecord): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const id of message.attachmentIds) {
    const attachment = context.store.attachments.get(id);
    if (attachment) out.push(attachmentPushEventData(context.frontendUrl, attachment));
  }
  return out;
}

/**
 * `Message#webhook_data` + `event`: the top level of message_created/message_updated. `message_type` is a
 * string here, `created_at` an ISO string, and there is no `status` key. `attachments` appears only when
 * the message has some. Key order follows the fixtures.
 */
export function messageWebhookData(
  context: SimulatorContext,
  message: MessageRecord,
  event: 'message_created' | 'message_updated',
): Record<string, unknown> {
  const { store } = context;
  const conversation = requireRecord(store.conversations, message.conversationId, 'conversation');
  const account = requireRecord(store.accounts, message.accountId, 'account');
  const inbox = requireRecord(store.inboxes, message.inboxId, 'inbox');
  const payload: Record<string, unknown> = {
    account: accountWebhookData(account),
    additional_attributes: message.additionalAttributes,
    content_attributes: message.contentAttributes,
    content_type: message.contentType,
    content: webhookContent(message.content),
    conversation: conversationWebhookData(context, conversation),
    created_at: isoTime(message.createdAt),
    id: message.id,
    inbox: { id: inbox.id, name: inbox.name },
    message_type: message.messageType,
    private: message.private,
    sender: senderWebhookData(store, message),
    source_id: message.sourceId,
  };
  const attachments = attachmentsOf(context, message);
  if (attachments.length > 0) payload.attachments = attachments;
  payload.event = event;
  return payload;
}

/**
 * `Message#webhook_push_event_data` (and the REST message JSON): every column, `message_type` as an
 * integer, `created_at` as epoch seconds, `conversation_id` as the display id, plus `status`.
 */
export function messagePushEventData(
  context: SimulatorContext,
  message: MessageRecord,
): Record<string, unknown> {
  const { store } = context;
  const conversation = requireRecord(store.conversations, message.conversationId, 'conversation');
  const contactInbox = store.contactInboxes.get(conversation.contactInboxId);
  const data: Record<string, unknown> = {
    id: message.id,
    content: message.content,
    account_id: message.accountId,
    inbox_id: message.inboxId,
    conversation_id: conversation.displayId,
    message_type: MESSAGE_TYPES[message.messageType],
    created_at: epochSeconds(message.createdAt),
    updated_at: isoTime(message.updatedAt),
    private: message.private,
    status: message.status,
    source_id: message.sourceId,
    content_type: message.contentType,
    content_attributes: message.contentAttributes,
    sender_type: message.senderType,
    sender_id: message.senderId,
    external_source_ids: message.externalSourceIds,
    additional_attributes: message.additionalAttributes,
    processed_message_content: message.content,
    sentiment: {},
    conversation: {
      assignee_id: conversation.assigneeId,
      unread_count: unreadCount(context, conversation),
      last_activity_at: epochSeconds(conversation.lastActivityAt),
      contact_inbox: { source_id: contactInbox?.sourceId ?? null },
    },
  };
  const attachments = attachmentsOf(context, message);
  if (attachments.length > 0) data.attachments = attachments;
  data.sender = senderPushEventData(store, message);
  return data;
}

/**
 * `Messages::WebhookContentNormalizer`: drop CommonMark hard breaks (a backslash before a newline) and
 * trailing newlines. Null stays null (voice notes, images without caption).
 */
export function webhookContent(content: string | null): string | null {
  if (content === null) return null;
  return content.replace(/\\\r?\n/g, '\n').replace(/[\r\n]+$/, '');
}
