import { ApiError, GoogleGenAI } from '@google/genai';
import { z } from 'zod';
import { isRetryableStatus } from '@switchboard/core';
import { EmbeddingCallError, type Embedder, type EmbedOptions } from './embedder.js';
import { estimateTokens } from './openai-embedder.js';

const responseSchema = z.object({
  embeddings: z.array(z.object({ values: z.array(z.number()) })),
});

export interface GeminiEmbedderOptions {
  model: string;
  dimensions: number;
  apiKey: string;
  /** Tests and proxies. */
  baseUrl?: string;
}

/**
 * Gemini embeddings through @google/genai (batchEmbedContents, up to 100 texts a request).
 * The Gemini API reports no token usage for embeddings: tokens are estimated from length.
 */
export function createGeminiEmbedder(options: GeminiEmbedderOptions): Embedder {
  const client = new GoogleGenAI({
    apiKey: options.apiKey,
    ...(options.baseUrl ? { httpOptions: { baseUrl: options.baseUrl } } : {}),
  });
  return {
    provider: 'gemini',
    model: options.model,
    dimensions: options.dimensions,
    maxBatchSize: 100,
    async embed(texts: string[], embedOptions: EmbedOptions = {}) {
      let raw: unknown;
      try {
        raw = await client.models.embedContent({
          model: options.model,
          contents: texts,
          config: {
            outputDimensionality: options.dimensions,
            taskType: embedOptions.purpose === 'query' ? 'RETRIEVAL_QUERY' : 'RETRIEVAL_DOCUMENT',
            ...(embedOptions.signal ? { abortSignal: embedOptions.signal } : {}),
          },
        });
      } catch (error) {
        throw classifyGeminiError(error);
      }
      const parsed = responseSchema.safeParse(raw);
      if (!parsed.success) {
        throw new EmbeddingCallError('gemini: unexpected embeddings response', {
          provider: 'gemini',
          retryable: false,
        });
      }
      return { vectors: parsed.data.embeddings.map((e) => e.values), tokens: estimateTokens(texts) };
    },
  };
}

function classifyGeminiError(error: unknown): Error {
  if (error instanceof ApiError) {
    // A 429 body carries google.rpc.RetryInfo: "retryDelay": "13s".
    const delay = /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/.exec(error.message);
    const status = typeof error.status === 'number' ? error.status : null;
    const message = extractMessage(error.message);
    return new EmbeddingCallError(`gemini: HTTP ${status ?? 'error'}: ${message}`, {
      provider: 'gemini',
      status,
      retryable: isRetryableStatus(status),
      retryAfterMs: delay ? Number(delay[1]) * 1000 : null,
    });
  }
  if ((error as Error)?.name === 'AbortError') return error as Error;
  return new EmbeddingCallError(`gemini: ${(error as Error)?.message ?? String(error)}`, {
    provider: 'gemini',
    retryable: true,
  });
}

function extractMessage(text: string): string {
  const match = /"message"\s*:\s*"([^"]*)"/.exec(text);
  return match?.[1] ?? text.slice(0, 200);
}
