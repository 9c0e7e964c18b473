import { RetryableError } from '@switchboard/core';
import type { EmbeddingProviderName } from './embedding-settings.js';

export interface EmbeddingResult {
  vectors: number[][];
  /** Tokens billed (reported by the provider, or estimated where it reports none). */
  tokens: number;
}

export interface EmbedOptions {
  signal?: AbortSignal;
  /** Some providers embed questions and passages differently (Gemini task types). */
  purpose?: 'document' | 'query';
}

/** One provider's embedding model. `embed` makes one request; retries live in embedTexts. */
export interface Embedder {
  readonly provider: EmbeddingProviderName;
  readonly model: string;
  readonly dimensions: number;
  /** Most texts this provider accepts in one request. */
  readonly maxBatchSize: number;
  embed(texts: string[], options?: EmbedOptions): Promise<EmbeddingResult>;
}

/** A failed embedding request, classified so the caller can decide whether to retry. */
export class EmbeddingCallError extends RetryableError {
  readonly provider: string;
  readonly rateLimited: boolean;

  constructor(
    message: string,
    details: {
      provider: string;
      status?: number | null;
      retryable: boolean;
      retryAfterMs?: number | null;
    },
  ) {
    super(message, {
      retryable: details.retryable,
      retryAfterMs: details.retryAfterMs,
      status: details.status,
    });
    this.name = 'EmbeddingCallError';
    this.provider = details.provider;
    this.rateLimited = details.status === 429;
  }
}
