import crypto from 'node:crypto';
import type { SimulatorContext } from '../context.js';
import type { BlobRecord } from '../state/records.js';

/** Keep bytes the way ActiveStorage would; the key doubles as the signed id in the redirect URL. */
export function storeBlob(
  context: SimulatorContext,
  bytes: Buffer,
  contentType: string,
  fileName: string,
): BlobRecord {
  const key = `${crypto.randomBytes(18).toString('base64url')}--${crypto.randomBytes(5).toString('hex')}`;
  const blob: BlobRecord = { key, bytes, contentType, fileName };
  context.store.blobs.set(key, blob);
  return blob;
}

/** file_type from a content type (FileTypeHelper#file_type). */
export function fileTypeFor(contentType: string): 'image' | 'audio' | 'video' | 'file' {
  if (contentType.startsWith('image/')) return 'image';
  if (contentType.startsWith('audio/')) return 'audio';
  if (contentType.startsWith('video/')) return 'video';
  return 'file';
}
