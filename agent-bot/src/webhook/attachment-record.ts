import { messageAttachmentFrom, type MessageAttachment } from '@switchboard/events';
import type { ChatwootAttachment } from './chatwoot-payloads.js';

/**
 * A webhook attachment as the `message` event records it (events/src/message-attachment.ts):
 * kind and size for counts and the export, Chatwoot's id and URLs for the attachments gallery.
 */
export function attachmentRecord(a: ChatwootAttachment): MessageAttachment {
  return messageAttachmentFrom(a);
}
