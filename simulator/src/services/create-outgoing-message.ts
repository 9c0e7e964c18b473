import type { SimulatorContext } from '../context.js';
import type { Actor } from '../events/simulator-events.js';
import type { ContentType, ConversationRecord, MessageRecord, MessageType } from '../state/records.js';
import {
  createMessage,
  MessageCreateError,
  MessageValidationError,
  type NewAttachment,
} from './create-message.js';
import { fileTypeFor, storeBlob } from './store-blob.js';

export interface UploadedFile {
  bytes: Buffer;
  contentType: string;
  fileName: string;
}

export interface OutgoingMessageInput {
  content?: string | null;
  messageType?: MessageType;
  private?: boolean;
  contentType?: ContentType;
  contentAttributes?: Record<string, unknown>;
  templateParams?: Record<string, unknown>;
  isVoiceMessage?: boolean;
  sourceId?: string | null;
  campaignId?: number;
  /** `sender_type: "AgentBot"` + `sender_id`: lets a user token post as a bot. */
  senderOverride?: { type: 'AgentBot'; id: number };
  files?: UploadedFile[];
}

/**
 * `Messages::MessageBuilder#perform`: who sends, which type (incoming only in API inboxes), private
 * notes, template params in `additional_attributes`, uploaded files as attachments (`audio/opus` is
 * relabelled `audio/ogg`; `is_voice_message` marks OGG audio as a voice note).
 */
export function createOutgoingMessage(
  context: SimulatorContext,
  conversation: ConversationRecord,
  actor: Actor,
  input: OutgoingMessageInput,
): MessageRecord {
  const inbox = context.store.inboxes.get(conversation.inboxId);
  const messageType = input.messageType ?? 'outgoing';
  if (messageType === 'incoming' && inbox?.channelType !== 'Channel::Api') {
    throw new MessageCreateError('Incoming messages are only allowed in Api inboxes');
  }
  const attachments: NewAttachment[] = (input.files ?? []).map((file) => {
    const contentType = file.contentType === 'audio/opus' ? 'audio/ogg' : file.contentType;
    const blob = storeBlob(context, file.bytes, contentType, file.fileName);
    const fileType = fileTypeFor(contentType);
    return {
      fileType,
      blobKey: blob.key,
      contentType,
      fileName: file.fileName,
      fileSize: file.bytes.length,
      isVoiceMessage: fileType === 'audio' && input.isVoiceMessage === true && contentType === 'audio/ogg',
      transcribedText: null,
      coordinatesLat: null,
      coordinatesLong: null,
      fallbackTitle: null,
      externalUrl: null,
      meta: input.isVoiceMessage && fileType === 'audio' ? { is_voice_message: true } : {},
    };
  });
  const additionalAttributes: Record<string, unknown> = {};
  if (input.templateParams) additionalAttributes.template_params = input.templateParams;
  if (input.campaignId !== undefined) additionalAttributes.campaign_id = input.campaignId;
  let sender: { type: 'User' | 'AgentBot' | 'Contact'; id: number } | null = null;
  if (input.senderOverride) sender = input.senderOverride;
  else if (actor.type === 'user') sender = { type: 'User', id: actor.id };
  else if (actor.type === 'agent_bot') sender = { type: 'AgentBot', id: actor.id };
  if (messageType === 'incoming') {
    sender = { type: 'Contact', id: conversation.contactId };
  }
  if (input.templateParams && typeof input.templateParams.name !== 'string') {
    throw new MessageValidationError(['Template params is invalid']);
  }
  return createMessage(context, conversation, {
    messageType,
    content: input.content ?? null,
    contentType: input.contentType ?? 'text',
    contentAttributes: input.contentAttributes ?? {},
    additionalAttributes,
    private: input.private ?? false,
    sourceId: input.sourceId ?? null,
    sender,
    attachments,
  });
}
