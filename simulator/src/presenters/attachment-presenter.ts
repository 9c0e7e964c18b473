import path from 'node:path';
import type { AttachmentRecord } from '../state/records.js';

/** URL of the ActiveStorage-style redirect that serves a stored blob (public, no auth, 302). */
export function blobRedirectPath(attachment: AttachmentRecord): string {
  return `/rails/active_storage/blobs/redirect/${attachment.blobKey}/${encodeURIComponent(attachment.fileName ?? 'file')}`;
}

/**
 * The variation key of `representation(resize_to_fill: [250, nil])`: a representation redirect has
 * its own URL (`/representations/redirect/<blob>/<variation>/<filename>`), never the blob's.
 */
export const THUMB_VARIATION = 'resize_to_fill-250';

/** URL of the image thumbnail's redirect (ActiveStorage representation, public, 302). */
export function thumbRedirectPath(attachment: AttachmentRecord): string {
  return `/rails/active_storage/representations/redirect/${attachment.blobKey}/${THUMB_VARIATION}/${encodeURIComponent(attachment.fileName ?? 'file')}`;
}

/** ActiveStorage's `filename.extension`: the part after the last dot, without the dot. */
function extension(fileName: string | null): string | null {
  if (!fileName) return null;
  const ext = path.extname(fileName);
  return ext === '' ? null : ext.slice(1);
}

/**
 * `Attachment#push_event_data` (app/models/attachment.rb). Audio swaps in the inline redirect URL, an
 * empty thumb and `transcribed_text`; location carries coordinates and the external URL; contact
 * cards carry `meta`.
 */
export function attachmentPushEventData(
  frontendUrl: string,
  attachment: AttachmentRecord,
): Record<string, unknown> {
  const base = {
    id: attachment.id,
    message_id: attachment.messageId,
    file_type: attachment.fileType,
    account_id: attachment.accountId,
  };
  if (attachment.fileType === 'location') {
    return {
      ...base,
      coordinates_lat: attachment.coordinatesLat,
      coordinates_long: attachment.coordinatesLong,
      fallback_title: attachment.fallbackTitle,
      data_url: attachment.externalUrl,
    };
  }
  if (attachment.fileType === 'contact') {
    return { ...base, fallback_title: attachment.fallbackTitle, meta: attachment.meta };
  }
  if (attachment.fileType === 'fallback') {
    return { ...base, fallback_title: attachment.fallbackTitle, data_url: attachment.externalUrl };
  }
  const dataUrl = `${frontendUrl}${blobRedirectPath(attachment)}`;
  const file = {
    extension: extension(attachment.fileName),
    content_type: attachment.contentType,
    data_url: dataUrl,
    thumb_url: attachment.fileType === 'image' ? `${frontendUrl}${thumbRedirectPath(attachment)}` : '',
    file_size: attachment.fileSize,
    width: null,
    height: null,
  };
  if (attachment.fileType === 'audio') {
    return {
      ...base,
      ...file,
      data_url: `${dataUrl}?disposition=inline`,
      thumb_url: '',
      transcribed_text: attachment.transcribedText ?? '',
    };
  }
  return { ...base, ...file };
}
