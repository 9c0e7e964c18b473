import type { MediaOutcome } from './media-outcome.js';

/**
 * The enrichment text the answering model reads (stored with the message for later turns).
 * Each line starts with a fixed bracketed label, so a later turn, and the media responder, can
 * tell a voice note that could not be heard from one that was.
 */
export const LABELS = {
  voice: '[Voice message transcript]',
  voiceFailed: '[Voice message, not transcribed:',
  image: '[Image description]',
  ocr: '[Image, text read by OCR]',
  imageFailed: '[Image, could not be viewed:',
  document: '[PDF document text]',
  documentFailed: '[Document, could not be read:',
} as const;

export function enrichmentLine(outcome: MediaOutcome): string {
  if (!outcome.ok) {
    const why = outcome.failure?.message ?? 'unknown error';
    if (outcome.kind === 'voice')
      return `${LABELS.voiceFailed} ${why}. Ask the customer to type the message.]`;
    if (outcome.kind === 'image') return `${LABELS.imageFailed} ${why}.]`;
    return `${LABELS.documentFailed} ${why}.]`;
  }
  const caveat = outcome.warning ? `(${outcome.warning}) ` : '';
  if (outcome.kind === 'voice') return `${LABELS.voice} ${caveat}${outcome.text || '(no speech)'}`;
  if (outcome.kind === 'image' && outcome.method === 'ocr') {
    return `${LABELS.ocr} ${outcome.text || '(no readable text)'}`;
  }
  if (outcome.kind === 'image') return `${LABELS.image} ${outcome.text}`;
  return `${LABELS.document}${outcome.detail ? ` (${outcome.detail})` : ''}\n${outcome.text || '(no text layer: probably a scan)'}`;
}

/** True when the enrichment says a voice note could not be transcribed. */
export function hasUntranscribedVoice(enrichment: string | undefined): boolean {
  return enrichment?.includes(LABELS.voiceFailed) ?? false;
}

/** True when the enrichment holds readable content (a transcript, a description, text). */
export function hasReadableMedia(enrichment: string | undefined): boolean {
  if (!enrichment) return false;
  return enrichment
    .split('\n')
    .some(
      (line) =>
        !line.startsWith(LABELS.voiceFailed) &&
        !line.startsWith(LABELS.imageFailed) &&
        !line.startsWith(LABELS.documentFailed) &&
        line.trim() !== '',
    );
}
