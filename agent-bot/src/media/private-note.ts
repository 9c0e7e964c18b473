import type { MediaOutcome } from './media-outcome.js';

const TITLES: Record<MediaOutcome['method'], string> = {
  transcription: '🎤 Voice note transcript',
  vision: '🖼️ Image, as the AI sees it',
  ocr: '🖼️ Image text (OCR)',
  pdf_text: '📄 PDF text',
};

/** Notes longer than this are cut (Chatwoot shows them inline next to the media). */
const MAX_NOTE_CHARS = 3000;

/**
 * The private note agents see right after the media: what it says, which model read it and what
 * that cost, so nobody has to listen to the recording, and cost surprises are visible.
 */
export function formatPrivateNote(outcome: MediaOutcome): string {
  const facts = [outcome.model === 'none' ? null : outcome.model];
  if (outcome.durationSeconds !== undefined) facts.push(`${formatSeconds(outcome.durationSeconds)}`);
  if (outcome.detail) facts.push(outcome.detail);
  if (outcome.ok) facts.push(formatUsd(outcome.costUsd, outcome.priceVersion));
  if (outcome.warning) facts.push(`⚠️ ${outcome.warning}`);
  const title = outcome.ok ? TITLES[outcome.method] : failureTitle(outcome);
  const shown = facts.filter(Boolean);
  const header = shown.length ? `${title} · ${shown.join(' · ')}` : title;
  if (!outcome.ok) return `${header}\n${outcome.failure?.message ?? 'unknown error'}`;
  const body = outcome.text
    ? quote(outcome.text)
    : outcome.kind === 'voice'
      ? '(no speech)'
      : '(no text found)';
  return `${header}\n${body}`.slice(0, MAX_NOTE_CHARS);
}

function failureTitle(outcome: MediaOutcome): string {
  if (outcome.kind === 'voice') return '⚠️ Voice note not transcribed';
  if (outcome.kind === 'image') return '⚠️ Image not interpreted';
  return '⚠️ Document not read';
}

function quote(text: string): string {
  return text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** Exact cost, never rounded to $0.00 (a transcript costs fractions of a cent). */
export function formatUsd(costUsd: string, priceVersion: string): string {
  if (priceVersion === 'unpriced') return 'cost unknown';
  if (Number(costUsd) === 0) return '$0 (offline)';
  return `$${costUsd}`;
}
