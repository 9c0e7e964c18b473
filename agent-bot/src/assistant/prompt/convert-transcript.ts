import type { ChatMessage, UserContentPart } from '../../llm/language-model.js';
import type { TranscriptEntry } from '../../responder/responder.js';

export interface TranscriptOptions {
  includePrivateNotes: boolean;
  supportsImages: boolean;
  /** Oldest entries beyond this are dropped (the prompt stays bounded on long conversations). */
  maxEntries?: number;
}

/**
 * The conversation as model messages: customer → user; the bot and human agents → assistant
 * (agents marked, so the model knows a colleague said it). Consecutive entries of one role are
 * merged: every provider prefers alternating turns.
 */
export function convertTranscript(transcript: TranscriptEntry[], options: TranscriptOptions): ChatMessage[] {
  const entries = transcript
    .filter((entry) => entry.author !== 'system')
    .filter((entry) => !entry.private || options.includePrivateNotes)
    .slice(-(options.maxEntries ?? 40));
  const messages: ChatMessage[] = [];
  for (const entry of entries) {
    if (entry.author === 'customer') {
      const parts = customerParts(entry, options.supportsImages);
      if (parts.length === 0) continue;
      const last = messages[messages.length - 1];
      if (last?.role === 'user') last.content.push(...parts);
      else messages.push({ role: 'user', content: parts });
    } else {
      const prefix = entry.private
        ? '[private note] '
        : entry.author === 'human_agent'
          ? '[human colleague] '
          : '';
      const text = `${prefix}${entry.text}`.trim();
      if (!text) continue;
      const last = messages[messages.length - 1];
      if (last?.role === 'assistant') last.text = `${last.text}\n\n${text}`;
      else messages.push({ role: 'assistant', text });
    }
  }
  return messages;
}

function customerParts(entry: TranscriptEntry, supportsImages: boolean): UserContentPart[] {
  const parts: UserContentPart[] = [];
  const lines: string[] = [];
  if (entry.selectedOption) lines.push(`[picked option] ${entry.selectedOption}`);
  if (entry.text.trim()) lines.push(entry.text.trim());
  for (const attachment of entry.attachments) {
    if (attachment.fileType === 'image' && attachment.data && supportsImages) {
      parts.push({ type: 'image', mediaType: attachment.contentType ?? 'image/jpeg', data: attachment.data });
    } else {
      lines.push(`[${attachment.fileType} attached]`);
    }
  }
  // Media enrichment: voice-note transcripts, image descriptions, PDF text.
  if (entry.enrichment?.trim()) lines.push(`[content of the attachment] ${entry.enrichment.trim()}`);
  if (lines.length) parts.unshift({ type: 'text', text: lines.join('\n') });
  return parts;
}
