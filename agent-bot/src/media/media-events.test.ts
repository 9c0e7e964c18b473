import { describe, expect, it } from 'vitest';
import { mediaEvent } from './media-events.js';
import type { MediaOutcome } from './media-outcome.js';

const ocr: MediaOutcome = {
  messageId: 12,
  attachmentId: 3,
  kind: 'image',
  method: 'ocr',
  ok: true,
  text: 'INVOICE 2026-117 Total 42.00',
  provider: 'tesseract',
  model: 'tesseract.js',
  costUsd: '0',
  priceVersion: 'free',
  latencyMs: 900,
};

describe('mediaEvent', () => {
  it('carries what was read and the turn it was read for', () => {
    expect(mediaEvent(ocr, 'turn-1')).toMatchObject({
      type: 'vision',
      costKind: 'vision',
      payload: { method: 'ocr', text: 'INVOICE 2026-117 Total 42.00', turnId: 'turn-1', messageId: 12 },
    });
    const voice = mediaEvent({ ...ocr, kind: 'voice', method: 'transcription', text: 'x'.repeat(5000) });
    expect(voice.type).toBe('transcription');
    expect((voice.payload as { text?: string }).text).toHaveLength(4000);
    expect(voice.payload).not.toHaveProperty('turnId');
  });

  it('leaves the text out when nothing was read', () => {
    expect(mediaEvent({ ...ocr, ok: false, text: '' }).payload).not.toHaveProperty('text');
  });
});
