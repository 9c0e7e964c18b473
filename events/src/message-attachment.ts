import type { MessageAttachment } from './event-schema.js';

/** The fields of a Chatwoot webhook attachment (`Attachment#push_event_data`) the record keeps. */
export interface ChatwootAttachmentFields {
  id?: number | null;
  file_type?: string | null;
  file_size?: number | null;
  data_url?: string | null;
  thumb_url?: string | null;
  content_type?: string | null;
  fallback_title?: string | null;
  coordinates_lat?: number | null;
  coordinates_long?: number | null;
}

/**
 * A webhook attachment as the `message` event records it, whichever part received the webhook
 * (agent-bot for the inboxes it serves, analytics' account webhooks for the others): kind and
 * size, Chatwoot's id and URLs for the attachments gallery, a location's title and coordinates.
 * Chatwoot sends no file name; the last path segment of data_url is the uploaded file's.
 */
export function messageAttachmentFrom(a: ChatwootAttachmentFields): MessageAttachment {
  const fileName = a.fallback_title || fileNameOf(a.data_url);
  return {
    type: a.file_type || 'file',
    ...(typeof a.file_size === 'number' && a.file_size >= 0 ? { sizeBytes: Math.floor(a.file_size) } : {}),
    ...(typeof a.id === 'number' && Number.isSafeInteger(a.id) ? { attachmentId: a.id } : {}),
    ...(a.data_url && a.data_url.length <= 4000 ? { dataUrl: a.data_url } : {}),
    ...(a.thumb_url && a.thumb_url.length <= 4000 ? { thumbUrl: a.thumb_url } : {}),
    ...(a.content_type ? { contentType: a.content_type.slice(0, 200) } : {}),
    ...(fileName ? { fileName: fileName.slice(0, 500) } : {}),
    ...(typeof a.coordinates_lat === 'number' ? { latitude: a.coordinates_lat } : {}),
    ...(typeof a.coordinates_long === 'number' ? { longitude: a.coordinates_long } : {}),
  };
}

function fileNameOf(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const last = new URL(url).pathname.split('/').pop();
    return last ? decodeURIComponent(last) : undefined;
  } catch {
    return undefined;
  }
}
