import type { MediaFailureReason } from './media-error.js';

/** What happened to one attachment: the single record notes, events and enrichment come from. */
export interface MediaOutcome {
  messageId: number;
  attachmentId: number;
  kind: 'voice' | 'image' | 'document';
  method: 'transcription' | 'vision' | 'ocr' | 'pdf_text';
  ok: boolean;
  /** Transcript, description, OCR or PDF text ('' when nothing was found or it failed). */
  text: string;
  provider: string;
  model: string;
  costUsd: string;
  priceVersion: string;
  latencyMs: number;
  durationSeconds?: number;
  language?: string;
  /** Image and document details for the note ("2 pages", "OCR confidence 91%"). */
  detail?: string;
  usage?: {
    inputTokens: number;
    cachedInputTokens: number;
    cacheWriteTokens: number;
    outputTokens: number;
    reasoningTokens: number;
    audioInputTokens: number;
    imageInputTokens: number;
  };
  failure?: { reason: MediaFailureReason; message: string };
  /** Read, but with a caveat agents should know (a recording cut off in transit). */
  warning?: string;
}
