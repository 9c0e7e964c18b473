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
export class EmbeddingCallError extends Error {
  readonly provider: string;
  readonly statusCode: number | null;
  readonly retryable: boolean;
  readonly retryAfterMs: number | null;
  readonly rateLimited: boolean;

  constructor(
    message: string,
    details: {
      provider: string;
      statusCode?: number | null;
      retryable: boolean;
      retryAfterMs?: number | null;
    },
  ) {
    super(message);
    this.name = 'EmbeddingCallError';
    this.provider = details.provider;
    this.statusCode = details.statusCode ?? null;
    this.retryable = details.retryable;
    this.retryAfterMs = details.retryAfterMs ?? null;
    this.rateLimited = details.statusCode === 429;
  }
}

/** 408, 409, 429 and 5xx are worth another try; other 4xx (bad key, bad model) are not. */
export function isRetryableStatus(status: number | null | undefined): boolean {
  if (status === null || status === undefined) return true;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** `retry-after-ms`, then `retry-after` as seconds or an HTTP date. */
export function parseRetryAfter(headers: { get(name: string): string | null } | undefined): number | null {
  if (!headers) return null;
  const ms = Number(headers.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const raw = headers.get('retry-after');
  if (!raw) return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : null;
}
