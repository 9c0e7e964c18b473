import OpenAI from 'openai';
import { z } from 'zod';
import { isRetryableStatus, parseRetryAfter, type HeaderLookup } from '@switchboard/core';
import { EmbeddingCallError, type Embedder, type EmbedOptions, type EmbeddingResult } from './embedder.js';
import { OPENAI_NATIVE_DIMENSIONS } from './openai-native-dimensions.js';

const responseSchema = z.object({
  data: z.array(z.object({ index: z.number().int(), embedding: z.array(z.number()) })),
  usage: z.object({ prompt_tokens: z.number().int().nonnegative() }).partial().optional(),
});

export interface OpenAIEmbedderOptions {
  provider: 'openai' | 'openai-compatible';
  model: string;
  dimensions: number;
  apiKey: string;
  baseUrl?: string;
  timeoutMs?: number;
}

/** OpenAI and any OpenAI-compatible endpoint (vLLM, Ollama, LiteLLM, Azure-style proxies). */
export function createOpenAIEmbedder(options: OpenAIEmbedderOptions): Embedder {
  // maxRetries 0: embedTexts owns retries so every provider backs off the same way.
  const client = new OpenAI({
    apiKey: options.apiKey,
    maxRetries: 0,
    timeout: options.timeoutMs ?? 60_000,
    ...(options.baseUrl ? { baseURL: options.baseUrl } : {}),
  });
  const native = OPENAI_NATIVE_DIMENSIONS[options.model];
  // text-embedding-3-* shorten on request; compatible servers usually reject the parameter.
  const sendDimensions =
    options.provider === 'openai'
      ? native !== options.dimensions && options.model.startsWith('text-embedding-3')
      : false;

  return {
    provider: options.provider,
    model: options.model,
    dimensions: options.dimensions,
    maxBatchSize: 2048,
    async embed(texts: string[], embedOptions: EmbedOptions = {}): Promise<EmbeddingResult> {
      let raw: unknown;
      try {
        raw = await client.embeddings.create(
          {
            model: options.model,
            input: texts,
            // The SDK asks for base64 unless told otherwise; floats keep the wire format plain.
            encoding_format: 'float',
            ...(sendDimensions ? { dimensions: options.dimensions } : {}),
          },
          embedOptions.signal ? { signal: embedOptions.signal } : {},
        );
      } catch (error) {
        throw classifyOpenAIError(error, options.provider);
      }
      const parsed = responseSchema.safeParse(raw);
      if (!parsed.success) {
        throw new EmbeddingCallError(`${options.provider}: unexpected embeddings response`, {
          provider: options.provider,
          retryable: false,
        });
      }
      const vectors = [...parsed.data.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
      const tokens = parsed.data.usage?.prompt_tokens ?? estimateTokens(texts);
      return { vectors, tokens };
    },
  };
}

function classifyOpenAIError(error: unknown, provider: string): Error {
  if (error instanceof OpenAI.APIUserAbortError) return error;
  if (error instanceof OpenAI.APIError) {
    const status = typeof error.status === 'number' ? error.status : null;
    const headers = error.headers as HeaderLookup | undefined;
    // The SDK's message repeats the body; keep the status and the provider's own message only.
    const detail = (error.error as { message?: string } | undefined)?.message ?? error.message;
    return new EmbeddingCallError(`${provider}: HTTP ${status ?? 'error'}: ${detail}`, {
      provider,
      status,
      retryable: isRetryableStatus(status),
      retryAfterMs: parseRetryAfter(headers),
    });
  }
  return new EmbeddingCallError(`${provider}: ${(error as Error)?.message ?? String(error)}`, {
    provider,
    retryable: true,
  });
}

/** About four characters per token for English; used only when a server reports no usage. */
export function estimateTokens(texts: readonly string[]): number {
  return texts.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
}
