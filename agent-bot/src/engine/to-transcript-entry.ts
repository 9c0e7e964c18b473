import type { TranscriptAttachment, TranscriptEntry } from '../responder/responder.js';
import type { StoredMessage } from '../store/messages.js';

/** A stored message as the assistant sees it in its transcript. */
export function toTranscriptEntry(message: StoredMessage, selectedOption?: string): TranscriptEntry {
  const attachments: TranscriptAttachment[] = message.attachments.map((a) => ({
    id: a.id,
    fileType: toFileType(a.file_type),
    dataUrl: a.data_url ?? null,
    ...(a.content_type ? { contentType: a.content_type } : {}),
  }));
  const transcribed = message.attachments
    .map((a) => a.transcribed_text)
    .filter((t): t is string => typeof t === 'string' && t.length > 0)
    .join('\n');
  const enrichment = message.enrichment ?? (transcribed || undefined);
  return {
    messageId: message.messageId,
    author: message.author,
    private: message.private,
    text: message.content ?? '',
    createdAt: message.createdAt.toISOString(),
    attachments,
    ...(enrichment ? { enrichment } : {}),
    ...(selectedOption ? { selectedOption } : {}),
  };
}

function toFileType(type: string): TranscriptAttachment['fileType'] {
  const known = ['image', 'audio', 'video', 'file', 'location', 'contact', 'fallback'] as const;
  return (known as readonly string[]).includes(type) ? (type as TranscriptAttachment['fileType']) : 'file';
}
