import { describe, expect, it } from 'vitest';
import type { MediaOutcome } from './media-outcome.js';
import { formatPrivateNote } from './private-note.js';

const base: MediaOutcome = {
  messageId: 1,
  attachmentId: 2,
  kind: 'voice',
  method: 'transcription',
  ok: true,
  text: 'Where is my order?\nIt was due Monday.',
  provider: 'openai',
  model: 'whisper-1',
  costUsd: '0.0005',
  priceVersion: 'prices.yaml@2026-11-25.1',
  latencyMs: 800,
  durationSeconds: 4.35,
};

describe('formatPrivateNote', () => {
  it('labels a transcript with model, duration and exact cost, quoting every line', () => {
    expect(formatPrivateNote(base)).toBe(
      '🎤 Voice note transcript · whisper-1 · 4.3 s · $0.0005\n> Where is my order?\n> It was due Monday.',
    );
  });

  it('shows minutes for long notes and warns about a cut-off recording', () => {
    const note = formatPrivateNote({
      ...base,
      durationSeconds: 95,
      warning: 'the recording is cut off: only the first 95.0 s arrived',
    });
    expect(note.split('\n')[0]).toBe(
      '🎤 Voice note transcript · whisper-1 · 1 min 35 s · $0.0005 · ⚠️ the recording is cut off: only the first 95.0 s arrived',
    );
  });

  it('says why when nothing could read the media, without dangling separators', () => {
    const { durationSeconds: _unmeasured, ...unmeasured } = base;
    const note = formatPrivateNote({
      ...unmeasured,
      ok: false,
      text: '',
      provider: 'none',
      model: 'none',
      failure: { reason: 'no_provider', message: 'no transcription provider is configured' },
    });
    expect(note).toBe('⚠️ Voice note not transcribed\nno transcription provider is configured');
  });

  it('marks an unpriced model as such instead of showing $0', () => {
    expect(formatPrivateNote({ ...base, priceVersion: 'unpriced', costUsd: '0' }).split('\n')[0]).toContain(
      'cost unknown',
    );
  });
});
