import type { SimulatorContext } from '../context.js';
import { secureToken, wamid } from '../ids.js';
import type { ContactRecord, ConversationRecord, InboxRecord, MessageRecord } from '../state/records.js';
import {
  activeInboxBot,
  conversationsOfContactInbox,
  findContactInbox,
  insertContactInbox,
  insertConversation,
  messagesOf,
  nextId,
  requireRecord,
} from '../state/store.js';
import { changeStatus } from './conversation-status.js';
import { createMessage, type NewAttachment } from './create-message.js';
import { fileTypeFor, storeBlob } from './store-blob.js';

/** What a WhatsApp customer can send. Button and list replies arrive as their title only. */
export type CustomerMessageInput =
  | { kind: 'text'; text: string; replyToMessageId?: number }
  | { kind: 'voice'; audio: Buffer; contentType?: string }
  | { kind: 'audio'; audio: Buffer; contentType?: string; fileName?: string }
  | { kind: 'image'; image: Buffer; contentType?: string; caption?: string; fileName?: string }
  | { kind: 'video'; video: Buffer; contentType?: string; caption?: string; fileName?: string }
  | { kind: 'document'; document: Buffer; contentType?: string; fileName: string; caption?: string }
  | { kind: 'location'; latitude: number; longitude: number; name?: string; address?: string; url?: string }
  | { kind: 'button_reply'; title: string; id?: string; replyToMessageId?: number }
  | { kind: 'contact_card'; phone: string; firstName?: string; lastName?: string };

export interface CustomerRef {
  inboxId: number;
  /** E.164 phone, `+` optional. */
  phone: string;
  name?: string;
}

export interface ReceivedMessage {
  message: MessageRecord;
  conversation: ConversationRecord;
  contact: ContactRecord;
}

/**
 * `Whatsapp::IncomingMessageBaseService`: find or create the contact and contact inbox, pick the
 * conversation (`set_conversation`: the last unresolved one, or a new one; with
 * `lock_to_single_conversation` the last one, reopened), then save the message with a wamid source id.
 */
export function receiveCustomerMessage(
  context: SimulatorContext,
  customer: CustomerRef,
  input: CustomerMessageInput,
): ReceivedMessage {
  const inbox = requireRecord(context.store.inboxes, customer.inboxId, 'inbox');
  const { contact, contactInboxId } = findOrCreateContact(context, inbox, customer);
  const conversation = pickConversation(context, inbox, contact, contactInboxId);
  const { content, attachments } = toMessageParts(context, input);
  const message = createMessage(context, conversation, {
    messageType: 'incoming',
    content,
    contentAttributes: replyContext(context, input),
    sourceId: inbox.channelType === 'Channel::Whatsapp' ? wamid() : null,
    sender: { type: 'Contact', id: contact.id },
    attachments,
  });
  sendGreeting(context, inbox, conversation);
  return { message, conversation, contact };
}

/**
 * `MessageTemplates::Template::Greeting`: with the inbox greeting on, the first customer message of a
 * conversation is answered by a `template` message with no sender. Bots receive it too.
 */
function sendGreeting(context: SimulatorContext, inbox: InboxRecord, conversation: ConversationRecord): void {
  if (inbox.greetingMessage === null) return;
  const messages = messagesOf(context.store, conversation.id);
  const incoming = messages.filter((message) => message.messageType === 'incoming').length;
  const greeted = messages.some((message) => message.messageType === 'template' && message.senderId === null);
  if (incoming !== 1 || greeted) return;
  createMessage(context, conversation, {
    messageType: 'template',
    content: inbox.greetingMessage,
    sender: null,
  });
}

/**
 * WhatsApp's `context.id` on a reply (or a tapped button) becomes `in_reply_to_external_id`, and
 * Chatwoot resolves it to its own message id in `in_reply_to` (InReplyToMessageBuilder).
 */
function replyContext(context: SimulatorContext, input: CustomerMessageInput): Record<string, unknown> {
  if ((input.kind !== 'text' && input.kind !== 'button_reply') || input.replyToMessageId === undefined)
    return {};
  const original = context.store.messages.get(input.replyToMessageId);
  if (!original?.sourceId) return {};
  return { in_reply_to_external_id: original.sourceId, in_reply_to: original.id };
}

function digits(phone: string): string {
  return phone.replace(/\D/g, '');
}

function findOrCreateContact(
  context: SimulatorContext,
  inbox: InboxRecord,
  customer: CustomerRef,
): { contact: ContactRecord; contactInboxId: number } {
  const { store, clock } = context;
  const sourceId = digits(customer.phone);
  const existing = findContactInbox(store, inbox.id, sourceId);
  if (existing) {
    return {
      contact: requireRecord(store.contacts, existing.contactId, 'contact'),
      contactInboxId: existing.id,
    };
  }
  const phoneNumber = `+${sourceId}`;
  let contact = [...store.contacts.values()].find(
    (candidate) => candidate.accountId === inbox.accountId && candidate.phoneNumber === phoneNumber,
  );
  const now = clock.nowMs();
  if (!contact) {
    contact = {
      id: nextId(store, 'contacts'),
      accountId: inbox.accountId,
      name: customer.name ?? phoneNumber,
      phoneNumber,
      email: null,
      identifier: null,
      customAttributes: {},
      additionalAttributes: {},
      blocked: false,
      createdAt: now,
    };
    store.contacts.set(contact.id, contact);
    context.dispatch({ name: 'contact_created', contactId: contact.id });
  }
  const contactInboxId = nextId(store, 'contact_inboxes');
  insertContactInbox(store, {
    id: contactInboxId,
    contactId: contact.id,
    inboxId: inbox.id,
    sourceId,
    hmacVerified: false,
    pubsubToken: secureToken(24),
    createdAt: now,
    updatedAt: now,
  });
  return { contact, contactInboxId };
}

function pickConversation(
  context: SimulatorContext,
  inbox: InboxRecord,
  contact: ContactRecord,
  contactInboxId: number,
): ConversationRecord {
  const { store } = context;
  let latest: ConversationRecord | undefined;
  let latestUnresolved: ConversationRecord | undefined;
  for (const conversation of conversationsOfContactInbox(store, contactInboxId)) {
    latest = conversation;
    if (conversation.status !== 'resolved') latestUnresolved = conversation;
  }
  const existing = inbox.lockToSingleConversation ? latest : latestUnresolved;
  if (existing) {
    // Message#reopen_conversation: snoozed → open; resolved → pending with an active bot, else open.
    if (existing.status === 'snoozed') changeStatus(context, existing, 'open', { actor: { type: 'system' } });
    if (existing.status === 'resolved') {
      const status = activeInboxBot(store, inbox.id) ? 'pending' : 'open';
      changeStatus(context, existing, status, { actor: { type: 'system' } });
    }
    return existing;
  }
  return createConversation(context, inbox, contact, contactInboxId);
}

/** `Conversation` create: per-account display_id; `pending` with an active bot; `resolved` for blocked contacts. */
export function createConversation(
  context: SimulatorContext,
  inbox: InboxRecord,
  contact: ContactRecord,
  contactInboxId: number,
  overrides: {
    status?: ConversationRecord['status'];
    assigneeId?: number | null;
    teamId?: number | null;
    additionalAttributes?: Record<string, unknown>;
  } = {},
): ConversationRecord {
  const { store, clock } = context;
  const account = requireRecord(store.accounts, inbox.accountId, 'account');
  const now = clock.nowMs();
  const status =
    overrides.status ?? (contact.blocked ? 'resolved' : activeInboxBot(store, inbox.id) ? 'pending' : 'open');
  const conversation: ConversationRecord = {
    id: nextId(store, 'conversations'),
    displayId: account.nextDisplayId,
    accountId: account.id,
    inboxId: inbox.id,
    contactId: contact.id,
    contactInboxId,
    status,
    priority: null,
    assigneeId: overrides.assigneeId ?? null,
    assigneeAgentBotId: null,
    teamId: overrides.teamId ?? null,
    labels: [],
    customAttributes: {},
    additionalAttributes: overrides.additionalAttributes ?? {},
    snoozedUntil: null,
    waitingSince: now,
    firstReplyCreatedAt: null,
    agentLastSeenAt: null,
    contactLastSeenAt: null,
    lastActivityAt: now,
    createdAt: now,
    updatedAt: now,
    reportingEvents: [],
  };
  account.nextDisplayId += 1;
  insertConversation(store, conversation);
  context.dispatch({ name: 'conversation_created', conversationId: conversation.id });
  return conversation;
}

function toMessageParts(
  context: SimulatorContext,
  input: CustomerMessageInput,
): { content: string | null; attachments: NewAttachment[] } {
  const file = (
    bytes: Buffer,
    contentType: string,
    fileName: string,
    isVoiceMessage = false,
  ): NewAttachment => {
    const blob = storeBlob(context, bytes, contentType, fileName);
    return {
      fileType: fileTypeFor(contentType),
      blobKey: blob.key,
      contentType,
      fileName,
      fileSize: bytes.length,
      isVoiceMessage,
      transcribedText: null,
      coordinatesLat: null,
      coordinatesLong: null,
      fallbackTitle: null,
      externalUrl: null,
      meta: {},
    };
  };
  const empty = {
    coordinatesLat: null,
    coordinatesLong: null,
    blobKey: null,
    contentType: null,
    fileName: null,
  };
  switch (input.kind) {
    case 'text':
      return { content: input.text, attachments: [] };
    case 'voice':
      // WhatsApp voice notes: OGG/Opus, no caption, the file named after the media id (no extension).
      return {
        content: null,
        attachments: [file(input.audio, input.contentType ?? 'audio/ogg', 'audio', true)],
      };
    case 'audio':
      return {
        content: null,
        attachments: [file(input.audio, input.contentType ?? 'audio/mpeg', input.fileName ?? 'audio.mp3')],
      };
    case 'image':
      return {
        content: input.caption ?? null,
        attachments: [file(input.image, input.contentType ?? 'image/jpeg', input.fileName ?? 'image.jpg')],
      };
    case 'video':
      return {
        content: input.caption ?? null,
        attachments: [file(input.video, input.contentType ?? 'video/mp4', input.fileName ?? 'video.mp4')],
      };
    case 'document':
      return {
        content: input.caption ?? null,
        attachments: [file(input.document, input.contentType ?? 'application/pdf', input.fileName)],
      };
    case 'location': {
      const title = [input.name, input.address].filter(Boolean).join(', ').slice(0, 255);
      return {
        content: null,
        attachments: [
          {
            ...empty,
            fileType: 'location',
            fileSize: null,
            isVoiceMessage: false,
            transcribedText: null,
            coordinatesLat: input.latitude,
            coordinatesLong: input.longitude,
            fallbackTitle: title,
            externalUrl: input.url ?? null,
            meta: {},
          },
        ],
      };
    }
    case 'button_reply':
      return { content: input.title, attachments: [] };
    case 'contact_card':
      return {
        content: null,
        attachments: [
          {
            ...empty,
            fileType: 'contact',
            fileSize: null,
            isVoiceMessage: false,
            transcribedText: null,
            fallbackTitle: input.phone,
            externalUrl: null,
            meta: { firstName: input.firstName ?? '', lastName: input.lastName ?? '' },
          },
        ],
      };
  }
}
