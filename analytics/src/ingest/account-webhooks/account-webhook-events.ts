import type { ChatwootAccountConfig } from '@switchboard/core';
import {
  deterministicUuid,
  messageAttachmentFrom,
  messageEventId,
  type AnalyticsEventInput,
  type ChannelType,
} from '@switchboard/events';
import type { ConversationEvent, MessageCreated } from './account-webhook-payload.js';

const CHANNELS: Record<string, ChannelType> = {
  'Channel::Whatsapp': 'whatsapp',
  'Channel::TwilioSms': 'whatsapp',
  'Channel::WebWidget': 'web',
  'Channel::Api': 'api',
};

interface InboxContext {
  channel: ChannelType | null;
  assistant: string | null;
  /** True when agent-bot answers this inbox and records its customer and AI messages itself. */
  botServed: boolean;
}

function inboxContext(
  account: ChatwootAccountConfig,
  inboxId: number,
  channel: string | null | undefined,
): InboxContext {
  const inbox = account.inboxes.find((i) => i.id === inboxId);
  if (inbox) return { channel: inbox.channel, assistant: inbox.assistant, botServed: true };
  // Twilio inboxes carry SMS too; only the config can say, so unknown Twilio inboxes stay unlabelled.
  const mapped = channel && channel !== 'Channel::TwilioSms' ? CHANNELS[channel] : undefined;
  return { channel: mapped ?? null, assistant: null, botServed: false };
}

function envelope(
  account: ChatwootAccountConfig,
  conversation: MessageCreated['conversation'],
  ctx: InboxContext,
) {
  const sender = conversation.meta?.sender;
  return {
    accountId: account.id,
    conversationId: conversation.id,
    inboxId: conversation.inbox_id,
    assistant: ctx.assistant,
    channel: ctx.channel,
    customerId: sender?.id ?? null,
    customerPhone: sender?.phone_number || null,
  };
}

type Author = 'customer' | 'ai' | 'human_agent' | 'system';

function authorOf(message: MessageCreated): Author | null {
  if (message.message_type === 'activity') return null;
  if (message.message_type === 'incoming') return 'customer';
  if (message.message_type === 'template') return 'system';
  const type = message.sender?.type;
  if (type === 'user') return 'human_agent';
  if (type === 'agent_bot' || type === 'captain_assistant') return 'ai';
  // Sent from the WhatsApp Business app (coexistence echo): a person at the business.
  if (message.content_attributes?.external_echo) return 'human_agent';
  return 'system';
}

/**
 * What a message_created tells analytics. In inboxes agent-bot serves, agent-bot records every
 * message itself (a bot receives customer, AI, human-agent and private messages alike), so the
 * listener takes none of them: two producers with different event ids would count a message
 * twice, and the per-conversation materialized view counts at insert time, before any merge.
 * In other inboxes (web widget without bot, human-only) every message is taken here.
 */
export function eventsFromMessage(
  account: ChatwootAccountConfig,
  message: MessageCreated,
): AnalyticsEventInput[] {
  const author = authorOf(message);
  if (!author) return [];
  const ctx = inboxContext(account, message.conversation.inbox_id, message.conversation.channel);
  if (ctx.botServed) return [];
  return [
    {
      ...envelope(account, message.conversation, ctx),
      id: messageEventId(account.id, message.id),
      occurredAt: new Date(message.created_at).toISOString(),
      type: 'message',
      payload: {
        messageId: message.id,
        direction: author === 'customer' ? 'inbound' : 'outbound',
        author,
        contentType: message.content_type ?? 'text',
        private: message.private,
        text: message.content ?? '',
        attachments: (message.attachments ?? []).map(messageAttachmentFrom),
      },
    },
  ];
}

function changed(event: ConversationEvent, attribute: string): boolean {
  return (event.changed_attributes ?? []).some((entry) => attribute in entry);
}

/** conversation_created / _status_changed / _updated (assignee changes only) → `conversation`. */
export function eventsFromConversation(
  account: ChatwootAccountConfig,
  event: ConversationEvent,
): AnalyticsEventInput[] {
  const ctx = inboxContext(account, event.inbox_id, event.channel);
  let change: 'created' | 'status_changed' | 'assignee_changed' | 'resolved';
  if (event.event === 'conversation_created') change = 'created';
  else if (event.event === 'conversation_status_changed')
    change = event.status === 'resolved' ? 'resolved' : 'status_changed';
  // conversation_updated repeats status changes (already recorded above): keep assignee changes only.
  else if (changed(event, 'assignee_id') || changed(event, 'assignee_agent_bot_id'))
    change = 'assignee_changed';
  else return [];
  const seconds = event.event === 'conversation_created' ? event.created_at : event.updated_at;
  const occurredAt = seconds ? new Date(Math.round(seconds * 1000)).toISOString() : new Date().toISOString();
  const assigneeType =
    event.meta?.assignee_type === 'User'
      ? 'user'
      : event.meta?.assignee_type === 'AgentBot'
        ? 'agent_bot'
        : 'none';
  const assigneeId = event.meta?.assignee?.id;
  return [
    {
      ...envelope(account, event, ctx),
      id: deterministicUuid(
        `chatwoot-conversation:${account.id}:${event.id}:${change}:${event.status}:${occurredAt}:${assigneeId ?? ''}`,
      ),
      occurredAt,
      type: 'conversation',
      payload: {
        change,
        status: event.status,
        assigneeType,
        ...(assigneeId !== undefined ? { assigneeId } : {}),
      },
    },
  ];
}
