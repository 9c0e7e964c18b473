import { outboxInsert } from '@switchboard/events';
import { z } from 'zod';
import type { CreatedMessage } from '../../chatwoot/chatwoot-client.js';
import type { ConversationState } from '../../store/conversations.js';
import type { PostedMessageWrite } from '../../store/reply-parts.js';
import {
  messageAnalyticsEvent,
  ownMessageInsert,
  type MessageToStore,
  type WebhookConversation,
} from '../../store/webhook-intake.js';

/**
 * The row and `message` event of a reply part Chatwoot just accepted, written by the sender's
 * mark-sent statement (store/reply-parts.ts) as its webhook echo would write them
 * (store/webhook-intake.ts): the echo that follows then finds the row and inserts nothing, and in
 * this process needs no statement at all (rememberPostedOwnMessage). The REST answer is the
 * message as Chatwoot stored it (chatwoot-contract.md: every column, `message_type` an int,
 * `created_at` epoch seconds). Only a plain outgoing message without attachments is written
 * here; anything else (a file, an unexpected shape) is left to its echo, as before.
 */
const restMessageSchema = z.looseObject({
  id: z.number().int(),
  message_type: z.union([z.literal(1), z.literal('outgoing')]),
  private: z.boolean().optional(),
  content: z.string().nullable().optional(),
  content_type: z.string().optional(),
  content_attributes: z.record(z.string(), z.unknown()).nullable().optional(),
  additional_attributes: z.record(z.string(), z.unknown()).nullable().optional(),
  source_id: z.string().nullable().optional(),
  created_at: z.union([z.number(), z.string()]).optional(),
  attachments: z.array(z.unknown()).optional(),
});

export interface PostedOwnMessage {
  view: WebhookConversation;
  message: MessageToStore;
  write: PostedMessageWrite;
}

/** What the echo of `created` would store; null when it is left to the echo. */
export function postedOwnMessage(
  conversation: ConversationState,
  botId: number | undefined,
  created: CreatedMessage,
  postedAt: Date,
  acceptedAt: Date,
): PostedOwnMessage | null {
  if (botId === undefined) return null;
  const rest = restMessageSchema.safeParse(created);
  if (!rest.success || (rest.data.attachments?.length ?? 0) > 0) return null;
  const data = rest.data;
  const view: WebhookConversation = {
    accountId: conversation.accountId,
    conversationId: conversation.conversationId,
    inboxId: conversation.inboxId,
    assistant: conversation.assistant,
    channel: conversation.channel,
    // In the key order the webhook builds it (ownMessageFingerprint compares the JSON).
    contact: {
      id: conversation.contact.id,
      name: conversation.contact.name,
      phone: conversation.contact.phone,
      email: conversation.contact.email,
      attributes: conversation.contact.attributes,
    },
    status: conversation.status,
    statusVersion: -1,
    statusEventVersion: null,
  };
  const message: MessageToStore = {
    messageId: data.id,
    messageType: 'outgoing',
    author: 'ai',
    senderType: 'agent_bot',
    senderId: botId,
    private: data.private ?? false,
    contentType: data.content_type ?? 'text',
    content: webhookContent(data.content ?? null),
    contentAttributes: data.content_attributes ?? {},
    attachments: [],
    sourceId: data.source_id ?? null,
    externalError: null,
    createdAt: createdAtOf(data.created_at, postedAt, acceptedAt),
    update: false,
  };
  const params = data.additional_attributes?.template_params;
  const template =
    typeof params === 'object' && params !== null
      ? String((params as { name?: unknown }).name ?? '')
      : undefined;
  const events = [messageAnalyticsEvent(view, message, [], template)];
  return {
    view,
    message,
    write: {
      row: (whenSent) => ownMessageInsert(view, message, whenSent),
      events: (whenStored) => outboxInsert(events, whenStored),
    },
  };
}

/**
 * The content as the webhook carries it (chatwoot-contract.md §1: CommonMark hard breaks and
 * trailing newlines stripped), so the row equals the echo's.
 */
export function webhookContent(content: string | null): string | null {
  if (content === null) return null;
  return content.replace(/\\\r?\n/g, '\n').replace(/[\r\n]+$/, '');
}

/**
 * The message's creation time on Chatwoot's clock (the clock of every other message's
 * created_at, so the transcript's order holds). REST gives whole seconds: within that second,
 * the moment the POST left (Chatwoot cannot have created it earlier), clamped into the second
 * when the clocks disagree.
 */
export function createdAtOf(
  restValue: number | string | undefined,
  postedAt: Date,
  acceptedAt: Date,
): string {
  if (typeof restValue === 'string') {
    const parsed = Date.parse(restValue);
    if (Number.isFinite(parsed)) return new Date(parsed).toISOString();
  }
  if (typeof restValue === 'number' && Number.isFinite(restValue) && restValue > 0) {
    const second = Math.floor(restValue) * 1000;
    return new Date(Math.min(Math.max(postedAt.getTime(), second), second + 999)).toISOString();
  }
  return acceptedAt.toISOString();
}
