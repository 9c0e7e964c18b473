import { setTimeout as delay } from 'node:timers/promises';
import { retry } from '@switchboard/core';
import { EmbeddingCallError, type Embedder } from './embedder.js';

export interface EmbedTextsOptions {
  /** Texts per request (capped by the provider's limit). */
  batchSize?: number;
  /** Tries per batch, the first included. */
  maxAttempts?: number;
  /** Upper bound for one wait, whatever retry-after says. */
  maxRetryDelayMs?: number;
  /** Client-side rate limit: at least this long between the starts of two requests. */
  minRequestIntervalMs?: number;
  purpose?: 'document' | 'query';
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Called after every successful request (progress, cost). */
  onBatch?: (batch: { inputs: number; tokens: number; latencyMs: number }) => void;
  /** Called before every retry (logging). */
  onRetry?: (retry: { attempt: number; waitMs: number; error: EmbeddingCallError }) => void;
}

export interface EmbedTextsResult {
  vectors: number[][];
  tokens: number;
  requests: number;
  retries: number;
  latencyMs: number;
}

/**
 * Embeds any number of texts in batches, one request at a time (providers rate-limit per
 * key, so parallel requests mostly buy 429s), retrying transient failures with backoff and
 * honouring retry-after. Every vector is checked against the embedder's dimension.
 */
export async function embedTexts(
  embedder: Embedder,
  texts: readonly string[],
  options: EmbedTextsOptions = {},
): Promise<EmbedTextsResult> {
  const batchSize = Math.max(1, Math.min(options.batchSize ?? 96, embedder.maxBatchSize));
  const maxAttempts = options.maxAttempts ?? 5;
  const maxDelay = options.maxRetryDelayMs ?? 60_000;
  const sleep = options.sleep ?? ((ms, signal) => delay(ms, undefined, signal ? { signal } : {}));
  const result: EmbedTextsResult = { vectors: [], tokens: 0, requests: 0, retries: 0, latencyMs: 0 };
  let lastStart = 0;

  for (let start = 0; start < texts.length; start += batchSize) {
    // Providers reject empty strings; a single space embeds as "nothing".
    const batch = texts.slice(start, start + batchSize).map((t) => (t.trim() === '' ? ' ' : t));
    await retry(
      async () => {
        const wait = (options.minRequestIntervalMs ?? 0) - (Date.now() - lastStart);
        if (wait > 0) await sleep(wait, options.signal);
        lastStart = Date.now();
        const began = performance.now();
        try {
          const response = await embedder.embed(batch, {
            ...(options.signal ? { signal: options.signal } : {}),
            ...(options.purpose ? { purpose: options.purpose } : {}),
          });
          const latencyMs = performance.now() - began;
          checkVectors(embedder, batch.length, response.vectors);
          result.vectors.push(...response.vectors);
          result.tokens += response.tokens;
          result.requests += 1;
          result.latencyMs += latencyMs;
          options.onBatch?.({ inputs: batch.length, tokens: response.tokens, latencyMs });
        } catch (error) {
          result.requests += 1;
          throw error;
        }
      },
      {
        maxAttempts,
        baseDelayMs: 500,
        // Waits must grow every time (a provider recovering from an outage), hence ±25 %, not full jitter.
        jitter: 'proportional',
        maxDelayMs: maxDelay,
        maxRetryAfterMs: maxDelay,
        // Only our own classified errors are retried: an abort or a bug is not transient.
        classify: (error) =>
          error instanceof EmbeddingCallError
            ? { retryable: error.retryable, retryAfterMs: error.retryAfterMs }
            : { retryable: false },
        sleep,
        ...(options.signal ? { signal: options.signal } : {}),
        onRetry: ({ attempt, delayMs, error }) => {
          options.onRetry?.({ attempt, waitMs: delayMs, error: error as EmbeddingCallError });
          result.retries += 1;
        },
      },
    );
  }
  return result;
}

function checkVectors(embedder: Embedder, expected: number, vectors: number[][]): void {
  if (vectors.length !== expected) {
    throw new EmbeddingCallError(
      `${embedder.provider}: asked for ${expected} embeddings, got ${vectors.length}`,
      {
        provider: embedder.provider,
        retryable: false,
      },
    );
  }
  for (const vector of vectors) {
    if (vector.length !== embedder.dimensions || vector.some((v) => !Number.isFinite(v))) {
      throw new EmbeddingCallError(
        `${embedder.provider}: expected ${embedder.dimensions}-dimensional vectors, got ${vector.length}`,
        { provider: embedder.provider, retryable: false },
      );
    }
  }
}
