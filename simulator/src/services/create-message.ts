import type { SimulatorContext } from '../context.js';
import type {
  AttachmentRecord,
  ContentType,
  ConversationRecord,
  MessageRecord,
  MessageType,
} from '../state/records.js';
import { messagesOf, nextId } from '../state/store.js';
import { renderMessageLiquid } from './render-liquid.js';
import { updateConversation } from './update-conversation.js';
import { scheduleChannelSend } from './send-on-whatsapp.js';

/** Message::NUMBER_OF_PERMITTED_ATTACHMENTS */
export const MAX_ATTACHMENTS = 15;
/** `validates :content, length: { maximum: 150_000 }` */
export const MAX_CONTENT_LENGTH = 150_000;

/** The message could not be created; the API answers 422 `{"error": message}`. */
export class MessageCreateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MessageCreateError';
  }
}

/** A model validation failure: `Validation failed: <reasons>`. */
export class MessageValidationError extends MessageCreateError {
  constructor(reasons: string[]) {
    super(`Validation failed: ${reasons.join(', ')}`);
    this.name = 'MessageValidationError';
  }
}

export type NewAttachment = Omit<AttachmentRecord, 'id' | 'messageId' | 'accountId'>;

export interface NewMessage {
  messageType: MessageType;
  content: string | null;
  contentType?: ContentType;
  contentAttributes?: Record<string, unknown>;
  additionalAttributes?: Record<string, unknown>;
  private?: boolean;
  sourceId?: string | null;
  sender: { type: 'Contact' | 'User' | 'AgentBot'; id: number } | null;
  attachments?: NewAttachment[];
}

/**
 * Save a message the way `Message` callbacks do: validations (flooding, length, attachment count,
 * input_select items), conversation activity, `message_created`, `waiting_since` bookkeeping, the first
 * human reply, and the asynchronous hand-off to the channel (SendReplyJob) for outgoing messages.
 */
export function createMessage(
  context: SimulatorContext,
  conversation: ConversationRecord,
  input: NewMessage,
): MessageRecord {
  validate(context, conversation, input);
  // before_create, after the validations: Liquid in outgoing content and template params.
  const rendered = renderMessageLiquid(context, conversation, {
    messageType: input.messageType,
    content: input.content,
    additionalAttributes: input.additionalAttributes ?? {},
    sender: input.sender,
  });
  const { store, clock } = context;
  const now = clock.nowMs();
  const message: MessageRecord = {
    id: nextId(store, 'messages'),
    accountId: conversation.accountId,
    inboxId: conversation.inboxId,
    conversationId: conversation.id,
    messageType: input.messageType,
    content: rendered.content,
    contentType: input.contentType ?? 'text',
    contentAttributes: input.contentAttributes ?? {},
    additionalAttributes: rendered.additionalAttributes,
    private: input.private ?? false,
    status: 'sent',
    sourceId: input.sourceId ?? null,
    senderType: input.sender?.type ?? null,
    senderId: input.sender?.id ?? null,
    externalSourceIds: {},
    createdAt: now,
    updatedAt: now,
    attachmentIds: [],
  };
  for (const attachment of input.attachments ?? []) {
    const id = nextId(store, 'attachments');
    store.attachments.set(id, { ...attachment, id, messageId: message.id, accountId: message.accountId });
    message.attachmentIds.push(id);
  }
  store.messages.set(message.id, message);
  const ids = store.messagesByConversation.get(conversation.id) ?? [];
  ids.push(message.id);
  store.messagesByConversation.set(conversation.id, ids);

  if (message.messageType !== 'activity') {
    conversation.lastActivityAt = now;
    conversation.updatedAt = now;
  }
  context.dispatch({ name: 'message_created', messageId: message.id });
  afterCreate(context, conversation, message);
  // Each audio attachment's after_create_commit (broadcast_message_update_for_audio) sends the
  // message again as `message_updated`, before any transcript exists.
  for (const id of message.attachmentIds) {
    if (store.attachments.get(id)?.fileType === 'audio') {
      context.dispatch({ name: 'message_updated', messageId: message.id });
    }
  }
  return message;
}

/** Activity messages ("Conversation was reopened by ...") are never sent to bots or channels. */
export function createActivityMessage(
  context: SimulatorContext,
  conversation: ConversationRecord,
  content: string,
): MessageRecord {
  return createMessage(context, conversation, { messageType: 'activity', content, sender: null });
}

function afterCreate(
  context: SimulatorContext,
  conversation: ConversationRecord,
  message: MessageRecord,
): void {
  const now = message.createdAt;
  if (message.messageType === 'incoming' && conversation.waitingSince === null) {
    updateConversation(context, conversation, { waitingSince: now });
  }
  const humanOrBotReply =
    message.messageType === 'outgoing' &&
    !message.private &&
    (message.senderType === 'User' || message.senderType === 'AgentBot');
  if (humanOrBotReply) {
    const changes: Parameters<typeof updateConversation>[2] = { waitingSince: null };
    // valid_first_reply?: the first public reply by a human (bots do not count).
    if (message.senderType === 'User' && conversation.firstReplyCreatedAt === null) {
      changes.firstReplyCreatedAt = now;
    }
    updateConversation(context, conversation, changes);
  }
  const sendable =
    (message.messageType === 'outgoing' || message.messageType === 'template') &&
    !message.private &&
    message.sourceId === null;
  if (sendable) scheduleChannelSend(context, message.id);
}

function validate(context: SimulatorContext, conversation: ConversationRecord, input: NewMessage): void {
  const reasons: string[] = [];
  if (input.messageType !== 'activity') {
    const since = context.clock.nowMs() - 60_000;
    let recent = 0;
    for (const message of messagesOf(context.store, conversation.id)) {
      if (message.createdAt >= since) recent += 1;
    }
    if (recent >= context.behaviour.messagesPerConversationPerMinute) reasons.push('Too many messages');
  }
  if (input.content !== null && input.content.length > MAX_CONTENT_LENGTH) {
    reasons.push(`Content is too long (maximum is ${MAX_CONTENT_LENGTH} characters)`);
  }
  if ((input.attachments?.length ?? 0) > MAX_ATTACHMENTS) {
    reasons.push(`Attachments exceeded maximum allowed (${MAX_ATTACHMENTS})`);
  }
  if (input.contentType === 'input_select') {
    const items = input.contentAttributes?.items;
    const valid =
      Array.isArray(items) &&
      items.every(
        (item) =>
          item !== null &&
          typeof item === 'object' &&
          Object.keys(item).every((key) => key === 'title' || key === 'value') &&
          typeof (item as { title?: unknown }).title === 'string',
      );
    if (!valid) reasons.push('Content attributes items must be an array of {title, value}');
  }
  if (reasons.length > 0) throw new MessageValidationError(reasons);
}
