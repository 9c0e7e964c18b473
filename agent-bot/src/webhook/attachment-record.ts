import type { MessageAttachment } from '@switchboard/events';
import type { ChatwootAttachment } from './chatwoot-payloads.js';

/**
 * A webhook attachment as the `message` event records it: kind and size (counts and the
 * export), plus Chatwoot's id and URLs so the attachments gallery can find and serve it.
 * Chatwoot sends no file name; the last path segment of data_url is the uploaded file's.
 */
export function attachmentRecord(a: ChatwootAttachment): MessageAttachment {
  const fileName = a.fallback_title ?? fileNameOf(a.data_url);
  return {
    type: a.file_type,
    ...(typeof a.file_size === 'number' && a.file_size >= 0 ? { sizeBytes: Math.trunc(a.file_size) } : {}),
    attachmentId: a.id,
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
