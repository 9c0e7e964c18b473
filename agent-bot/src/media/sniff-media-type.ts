import { fileTypeFromBuffer } from 'file-type';
import { MediaError } from './media-error.js';

export type MediaKind = 'audio' | 'image' | 'pdf';

export interface SniffedType {
  kind: MediaKind;
  /** The content type the bytes really have (not what the sender claimed). */
  mime: string;
}

/**
 * What the models and decoders accept. WhatsApp sends voice notes as OGG/Opus, other audio as
 * AAC/MP3/M4A/AMR; images as JPEG/PNG (stickers WebP). Anything else is refused by its magic
 * bytes, whatever the declared content type says.
 */
const AUDIO = new Set([
  'audio/ogg',
  'audio/opus',
  'audio/mpeg',
  'audio/mp4',
  'audio/x-m4a',
  'audio/aac',
  'audio/amr',
  'audio/wav',
  'audio/x-wav',
  'audio/webm',
  'audio/flac',
  'video/mp4',
]);
const IMAGE = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);

export async function sniffMediaType(bytes: Uint8Array): Promise<SniffedType | null> {
  const detected = await fileTypeFromBuffer(bytes);
  if (!detected) return null;
  const mime = detected.mime.split(';')[0]!.trim();
  if (mime === 'application/pdf') return { kind: 'pdf', mime };
  if (IMAGE.has(mime)) return { kind: 'image', mime };
  // file-type calls an OGG container with Opus inside "audio/ogg; codecs=opus" (ext opus).
  if (AUDIO.has(mime)) return { kind: 'audio', mime: mime === 'audio/opus' ? 'audio/ogg' : mime };
  return null;
}

/** The bytes must be the kind the attachment says it is (an "image" that is a PDF is refused). */
export async function requireKind(bytes: Uint8Array, expected: MediaKind): Promise<SniffedType> {
  if (bytes.length === 0) throw new MediaError('corrupt', 'the attachment is empty');
  const sniffed = await sniffMediaType(bytes);
  if (expected === 'pdf' && sniffed?.kind !== 'pdf') {
    throw new MediaError('unsupported_type', 'only PDF documents are read, and this file is not a PDF');
  }
  if (!sniffed)
    throw new MediaError('unsupported_type', `the attachment is not a supported ${expected} file`);
  if (sniffed.kind !== expected) {
    throw new MediaError(
      'unsupported_type',
      `the attachment claims to be ${expected} but its bytes are ${sniffed.mime}`,
    );
  }
  return sniffed;
}
