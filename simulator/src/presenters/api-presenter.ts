import type { SimulatorContext } from '../context.js';
import { epochSeconds, isoTime } from '../clock.js';
import type { ContactRecord, ConversationRecord, InboxRecord, UserRecord } from '../state/records.js';
import { lastChatMessage, messagesOf } from '../state/store.js';
import { canReply } from '../state/message-window.js';
import { unreadCount } from './conversation-presenter.js';
import { messagePushEventData } from './message-presenter.js';

/** REST JSON shapes (app/views/api/v1/**). They differ from webhook payloads: integers, no nesting. */

/** `api/v1/models/_contact.json.jbuilder` */
export function contactJson(context: SimulatorContext, contact: ContactRecord): Record<string, unknown> {
  const contactInboxes = [...context.store.contactInboxes.values()]
    .filter((row) => row.contactId === contact.id)
    .map((row) => {
      const inbox = context.store.inboxes.get(row.inboxId);
      return { source_id: row.sourceId, inbox: inbox ? inboxJson(inbox, false) : null };
    });
  return {
    additional_attributes: contact.additionalAttributes,
    availability_status: 'offline',
    email: contact.email,
    id: contact.id,
    name: contact.name,
    phone_number: contact.phoneNumber,
    blocked: contact.blocked,
    identifier: contact.identifier,
    thumbnail: '',
    custom_attributes: contact.customAttributes,
    created_at: epochSeconds(contact.createdAt),
    contact_inboxes: contactInboxes,
  };
}

/** `api/v1/models/_inbox.json.jbuilder`: WhatsApp inboxes include `message_templates` and the provider. */
export function inboxJson(inbox: InboxRecord, administrator: boolean): Record<string, unknown> {
  const json: Record<string, unknown> = {
    id: inbox.id,
    avatar_url: '',
    channel_id: inbox.id,
    name: inbox.name,
    channel_type: inbox.channelType,
    greeting_enabled: inbox.greetingMessage !== null,
    greeting_message: inbox.greetingMessage,
    working_hours_enabled: false,
    enable_email_collect: true,
    csat_survey_enabled: false,
    enable_auto_assignment: true,
    out_of_office_message: null,
    timezone: 'UTC',
    allow_messages_after_resolved: true,
    lock_to_single_conversation: inbox.lockToSingleConversation,
  };
  if (inbox.channelType === 'Channel::Whatsapp') {
    json.phone_number = inbox.phoneNumber;
    json.provider = inbox.provider;
    json.message_templates = inbox.messageTemplates;
    if (administrator) json.provider_config = { api_key: '[simulated]', phone_number_id: String(inbox.id) };
  }
  if (inbox.channelType === 'Channel::Api') {
    json.additional_attributes =
      inbox.agentReplyTimeWindowHours === null
        ? {}
        : { agent_reply_time_window: inbox.agentReplyTimeWindowHours };
  }
  return json;
}

/** `api/v1/models/_agent.json.jbuilder` */
export function agentJson(user: UserRecord, accountId: number): Record<string, unknown> {
  return {
    id: user.id,
    account_id: accountId,
    availability_status: user.availabilityStatus,
    auto_offline: true,
    confirmed: true,
    email: user.email,
    available_name: user.name,
    name: user.name,
    role: user.role,
    thumbnail: '',
    custom_role_id: null,
  };
}

/** `api/v1/conversations/partials/_conversation.json.jbuilder` */
export function conversationJson(
  context: SimulatorContext,
  conversation: ConversationRecord,
): Record<string, unknown> {
  const inbox = context.store.inboxes.get(conversation.inboxId);
  const contact = context.store.contacts.get(conversation.contactId);
  const contactInbox = context.store.contactInboxes.get(conversation.contactInboxId);
  const assignee =
    conversation.assigneeId === null ? undefined : context.store.users.get(conversation.assigneeId);
  const team = conversation.teamId === null ? undefined : context.store.teams.get(conversation.teamId);
  // The partial writes `assignee` and `team` only when present.
  const meta: Record<string, unknown> = {
    sender: contact ? contactJson(context, contact) : null,
    channel: inbox?.channelType ?? null,
  };
  if (assignee) meta.assignee = agentJson(assignee, conversation.accountId);
  if (team) meta.team = { id: team.id, name: team.name };
  meta.hmac_verified = contactInbox?.hmacVerified ?? false;
  const last = lastChatMessage(context.store, conversation.id);
  const all = messagesOf(context.store, conversation.id);
  const lastAny = all[all.length - 1];
  return {
    meta,
    id: conversation.displayId,
    messages: lastAny ? [messagePushEventData(context, lastAny)] : [],
    account_id: conversation.accountId,
    uuid: `00000000-0000-4000-8000-${conversation.id.toString().padStart(12, '0')}`,
    additional_attributes: conversation.additionalAttributes,
    agent_last_seen_at: epochSeconds(conversation.agentLastSeenAt),
    assignee_last_seen_at: 0,
    can_reply: canReply(context, conversation),
    contact_last_seen_at: epochSeconds(conversation.contactLastSeenAt),
    custom_attributes: conversation.customAttributes,
    inbox_id: conversation.inboxId,
    labels: [...conversation.labels],
    muted: false,
    snoozed_until: conversation.snoozedUntil === null ? null : isoTime(conversation.snoozedUntil),
    status: conversation.status,
    created_at: epochSeconds(conversation.createdAt),
    updated_at: conversation.updatedAt / 1000,
    timestamp: epochSeconds(conversation.lastActivityAt),
    first_reply_created_at: epochSeconds(conversation.firstReplyCreatedAt),
    unread_count: unreadCount(context, conversation),
    last_non_activity_message: last ? messagePushEventData(context, last) : null,
    last_activity_at: epochSeconds(conversation.lastActivityAt),
    priority: conversation.priority,
    waiting_since: epochSeconds(conversation.waitingSince),
    sla_policy_id: null,
  };
}
