import crypto from 'node:crypto';
import type { SimulatorContext } from '../context.js';
import { secureToken } from '../ids.js';
import type { ContactInboxRecord, ContactRecord, InboxRecord, MessageRecord } from '../state/records.js';
import {
  activeInboxBot,
  conversationsOfContactInbox,
  findContactInbox,
  insertContactInbox,
  nextId,
  requireRecord,
} from '../state/store.js';
import { changeStatus } from './conversation-status.js';
import { createMessage, MessageValidationError } from './create-message.js';
import { createConversation, type ReceivedMessage } from './receive-customer-message.js';
import { updateMessage } from './send-on-whatsapp.js';
import { fileTypeFor, storeBlob } from './store-blob.js';

/**
 * A website visitor in a `Channel::WebWidget` inbox. The widget keeps the contact inbox's
 * `source_id` (a UUID) in a cookie: `visitorId` plays that cookie. E-mail and name come from the
 * pre-chat form or `$chatwoot.setUser` (identifier = the website's own user id).
 */
export interface WidgetVisitor {
  inboxId: number;
  visitorId: string;
  email?: string;
  name?: string;
  identifier?: string;
  /** `Accept-Language`'s first code, e.g. `en`, `pt-BR`. */
  browserLanguage?: string;
  /** The page the widget runs on. */
  referer?: string;
}

export type WidgetMessageInput =
  | { kind: 'text'; text: string }
  | { kind: 'file'; bytes: Buffer; contentType: string; fileName: string; caption?: string };

const BROWSER = {
  browser_name: 'Chrome',
  browser_version: '131.0.0.0',
  device_name: 'Unknown',
  platform_name: 'macOS',
  platform_version: '10.15.7',
};

/** A new UUID source id for a visitor (ContactInboxBuilder for web widgets). */
export function newVisitorId(): string {
  return crypto.randomUUID();
}

/**
 * The widget opening (`POST /api/v1/widget/events` with `webwidget.triggered`): the contact
 * inbox exists from the widget's first load; the event carries the widget's event_info.
 */
export function openWidget(context: SimulatorContext, visitor: WidgetVisitor): ContactInboxRecord {
  const inbox = widgetInbox(context, visitor.inboxId);
  const { contactInbox } = findOrCreateVisitor(context, inbox, visitor);
  context.dispatch({
    name: 'webwidget_triggered',
    contactInboxId: contactInbox.id,
    eventInfo: {
      initiated_at: { timestamp: new Date(context.clock.nowMs()).toString() },
      referer: visitor.referer ?? 'https://www.example.com/',
      widget_language: null,
      browser_language: visitor.browserLanguage ?? 'en',
      browser: BROWSER,
    },
  });
  return contactInbox;
}

/**
 * `Api::V1::Widget::MessagesController#create`: the visitor's last conversation (`conversations.last`,
 * reopened by `Message#reopen_conversation` when resolved: `allow_messages_after_resolved` defaults
 * to true), or a new one carrying the browser, referer and start time; no `source_id` on the message.
 */
export function receiveWidgetMessage(
  context: SimulatorContext,
  visitor: WidgetVisitor,
  input: WidgetMessageInput,
): ReceivedMessage {
  const inbox = widgetInbox(context, visitor.inboxId);
  const { contact, contactInbox } = findOrCreateVisitor(context, inbox, visitor);
  let conversation = conversationsOfContactInbox(context.store, contactInbox.id).at(-1);
  if (conversation?.status === 'snoozed')
    changeStatus(context, conversation, 'open', { actor: { type: 'system' } });
  if (conversation?.status === 'resolved') {
    const status = activeInboxBot(context.store, inbox.id) ? 'pending' : 'open';
    changeStatus(context, conversation, status, { actor: { type: 'system' } });
  }
  conversation ??= createConversation(context, inbox, contact, contactInbox.id, {
    additionalAttributes: {
      browser_language: visitor.browserLanguage ?? 'en',
      browser: BROWSER,
      initiated_at: { timestamp: new Date(context.clock.nowMs()).toString() },
      referer: visitor.referer ?? 'https://www.example.com/',
    },
  });
  const attachments =
    input.kind === 'file'
      ? [
          {
            fileType: fileTypeFor(input.contentType),
            blobKey: storeBlob(context, input.bytes, input.contentType, input.fileName).key,
            contentType: input.contentType,
            fileName: input.fileName,
            fileSize: input.bytes.length,
            isVoiceMessage: false,
            transcribedText: null,
            coordinatesLat: null,
            coordinatesLong: null,
            fallbackTitle: null,
            externalUrl: null,
            meta: {},
          },
        ]
      : [];
  const message = createMessage(context, conversation, {
    messageType: 'incoming',
    content: input.kind === 'text' ? input.text : (input.caption ?? null),
    sourceId: null,
    sender: { type: 'Contact', id: contact.id },
    attachments,
  });
  return { message, conversation, contact };
}

/**
 * Clicking an option of an `input_select` message in the widget (`PATCH /api/v1/widget/messages/:id`
 * with `submitted_values`): no new message; the bot's message is updated and `message_updated`
 * carries `content_attributes.submitted_values: [{title, value}]` (Dialogflow's processor reads
 * `submitted_values.first.value` from exactly this event).
 */
export function submitWidgetSelection(
  context: SimulatorContext,
  visitor: WidgetVisitor,
  messageId: number,
  value: string,
): MessageRecord {
  const inbox = widgetInbox(context, visitor.inboxId);
  const contactInbox = findContactInbox(context.store, inbox.id, visitor.visitorId);
  const message = context.store.messages.get(messageId);
  const conversation = message ? context.store.conversations.get(message.conversationId) : undefined;
  if (!contactInbox || !message || conversation?.contactInboxId !== contactInbox.id)
    throw new MessageValidationError(['Message not found']);
  if (message.contentType !== 'input_select') throw new MessageValidationError(['Message is not a select']);
  const items = (message.contentAttributes.items as { title: string; value: string }[] | undefined) ?? [];
  const item = items.find((candidate) => candidate.value === value || candidate.title === value);
  if (!item) throw new MessageValidationError([`No option ${value}`]);
  updateMessage(context, message, {
    contentAttributes: {
      ...message.contentAttributes,
      submitted_values: [{ title: item.title, value: item.value }],
    },
  });
  return message;
}

function widgetInbox(context: SimulatorContext, inboxId: number): InboxRecord {
  const inbox = requireRecord(context.store.inboxes, inboxId, 'inbox');
  if (inbox.channelType !== 'Channel::WebWidget')
    throw new Error(`simulator: inbox ${inboxId} is ${inbox.channelType}, not a website widget`);
  return inbox;
}

/**
 * `ContactInboxWithContactBuilder` on the widget's first load (a random haiku name, no phone), then
 * `ContactIdentifyAction` when the visitor gives an e-mail: a contact of the account with the same
 * e-mail is the same person, so their widget threads share one contact.
 */
function findOrCreateVisitor(
  context: SimulatorContext,
  inbox: InboxRecord,
  visitor: WidgetVisitor,
): { contact: ContactRecord; contactInbox: ContactInboxRecord } {
  const { store, clock } = context;
  const existing = findContactInbox(store, inbox.id, visitor.visitorId);
  if (existing) {
    const contact = requireRecord(store.contacts, existing.contactId, 'contact');
    identify(context, contact, visitor);
    return { contact, contactInbox: existing };
  }
  const now = clock.nowMs();
  const email = visitor.email?.toLowerCase() ?? null;
  let contact = email
    ? [...store.contacts.values()].find(
        (candidate) => candidate.accountId === inbox.accountId && candidate.email === email,
      )
    : undefined;
  if (!contact) {
    contact = {
      id: nextId(store, 'contacts'),
      accountId: inbox.accountId,
      name: visitor.name ?? haikuName(),
      phoneNumber: null,
      email,
      identifier: visitor.identifier ?? null,
      customAttributes: {},
      additionalAttributes: {},
      blocked: false,
      createdAt: now,
    };
    store.contacts.set(contact.id, contact);
    context.dispatch({ name: 'contact_created', contactId: contact.id });
  }
  const contactInbox: ContactInboxRecord = {
    id: nextId(store, 'contact_inboxes'),
    contactId: contact.id,
    inboxId: inbox.id,
    sourceId: visitor.visitorId,
    hmacVerified: false,
    pubsubToken: secureToken(24),
    createdAt: now,
    updatedAt: now,
  };
  insertContactInbox(store, contactInbox);
  return { contact, contactInbox };
}

/** The pre-chat form or setUser filling in what the contact did not have yet. */
function identify(context: SimulatorContext, contact: ContactRecord, visitor: WidgetVisitor): void {
  const changes: Record<string, { previous_value: unknown; current_value: unknown }>[] = [];
  const email = visitor.email?.toLowerCase();
  if (email && contact.email !== email) {
    changes.push({ email: { previous_value: contact.email, current_value: email } });
    contact.email = email;
  }
  if (visitor.name && contact.name !== visitor.name) {
    changes.push({ name: { previous_value: contact.name, current_value: visitor.name } });
    contact.name = visitor.name;
  }
  if (visitor.identifier && contact.identifier !== visitor.identifier) {
    changes.push({ identifier: { previous_value: contact.identifier, current_value: visitor.identifier } });
    contact.identifier = visitor.identifier;
  }
  if (changes.length > 0)
    context.dispatch({ name: 'contact_updated', contactId: contact.id, changedAttributes: changes });
}

const ADJECTIVES = ['quiet', 'bold', 'misty', 'sunny', 'wild', 'calm', 'proud', 'silent'];
const NOUNS = ['river', 'forest', 'meadow', 'wind', 'sun', 'field', 'lake', 'hill'];

/** `Haikunator.haikunate(1000)`: the name an anonymous widget visitor gets, e.g. "misty-river-482". */
function haikuName(): string {
  const pick = (words: string[]) => words[crypto.randomInt(0, words.length)]!;
  return `${pick(ADJECTIVES)}-${pick(NOUNS)}-${crypto.randomInt(0, 1000)}`;
}
