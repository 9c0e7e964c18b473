import type { SwitchboardConfig } from '@switchboard/core';
import { KnowledgeBaseError } from '../knowledge-base-error.js';
import type { EmbeddingSettings } from './embedding-settings.js';
import type { Embedder, EmbedOptions } from './embedder.js';
import { createOfflineEmbedder, OFFLINE_MODEL } from './offline-embedder.js';
import { OPENAI_NATIVE_DIMENSIONS } from './openai-native-dimensions.js';

type EmbeddingConfig = SwitchboardConfig['knowledge']['embedding'];

const DEFAULT_API_KEY_ENV: Record<string, string> = {
  openai: 'OPENAI_API_KEY',
  gemini: 'GEMINI_API_KEY',
  'openai-compatible': 'OPENAI_COMPATIBLE_API_KEY',
};

/** Fills model and dimensions from the provider's defaults and checks what cannot work. */
export function resolveEmbeddingSettings(config: EmbeddingConfig): EmbeddingSettings {
  const common = {
    ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
    ...(config.apiKeyEnv ? { apiKeyEnv: config.apiKeyEnv } : {}),
  };
  switch (config.provider) {
    case 'offline':
      if (config.dimensions !== undefined && config.dimensions !== 100) {
        throw new KnowledgeBaseError('The offline embedder has 100 dimensions.');
      }
      return { provider: 'offline', model: OFFLINE_MODEL, dimensions: 100 };
    case 'openai': {
      const model = config.model ?? 'text-embedding-3-small';
      const native = OPENAI_NATIVE_DIMENSIONS[model];
      const dimensions = config.dimensions ?? native;
      if (dimensions === undefined)
        throw new KnowledgeBaseError(`Set dimensions for the OpenAI model ${model}.`);
      if (native !== undefined && dimensions > native) {
        throw new KnowledgeBaseError(`${model} has at most ${native} dimensions.`);
      }
      return { provider: 'openai', model, dimensions, ...common };
    }
    case 'gemini':
      // 768 keeps vectors small and indexable as `vector`; 1536 and 3072 are the other sizes.
      return {
        provider: 'gemini',
        model: config.model ?? 'gemini-embedding-001',
        dimensions: config.dimensions ?? 768,
        ...common,
      };
    case 'openai-compatible':
      if (!config.baseUrl || !config.model || !config.dimensions) {
        throw new KnowledgeBaseError('An openai-compatible embedder needs baseUrl, model and dimensions.');
      }
      return { provider: 'openai-compatible', model: config.model, dimensions: config.dimensions, ...common };
  }
}

/** Builds the embedder a knowledge base was created with; keys come from the environment. */
export function createEmbedder(settings: EmbeddingSettings, env: NodeJS.ProcessEnv = process.env): Embedder {
  if (settings.provider === 'offline') return createOfflineEmbedder();
  const keyEnv = settings.apiKeyEnv ?? DEFAULT_API_KEY_ENV[settings.provider]!;
  const apiKey = env[keyEnv] ?? (settings.provider === 'gemini' ? env.GOOGLE_API_KEY : undefined);
  if (!apiKey && settings.provider !== 'openai-compatible') {
    throw new KnowledgeBaseError(`${settings.provider} embeddings need an API key in ${keyEnv}.`);
  }
  const baseUrl = settings.baseUrl ? { baseUrl: settings.baseUrl } : {};
  if (settings.provider === 'gemini') {
    return lazyEmbedder(settings, 100, async () =>
      (await import('./gemini-embedder.js')).createGeminiEmbedder({
        model: settings.model,
        dimensions: settings.dimensions,
        apiKey: apiKey!,
        ...baseUrl,
      }),
    );
  }
  const provider = settings.provider;
  return lazyEmbedder(settings, 2048, async () =>
    (await import('./openai-embedder.js')).createOpenAIEmbedder({
      provider,
      model: settings.model,
      dimensions: settings.dimensions,
      // Local OpenAI-compatible servers often need no key; the SDK insists on a string.
      apiKey: apiKey ?? 'not-needed',
      ...baseUrl,
    }),
  );
}

/** The SDKs load on the first request: a CLI listing knowledge bases never needs them. */
function lazyEmbedder(
  settings: EmbeddingSettings,
  maxBatchSize: number,
  create: () => Promise<Embedder>,
): Embedder {
  let inner: Promise<Embedder> | null = null;
  return {
    provider: settings.provider,
    model: settings.model,
    dimensions: settings.dimensions,
    maxBatchSize,
    async embed(texts: string[], options?: EmbedOptions) {
      inner ??= create();
      return (await inner).embed(texts, options);
    },
  };
}

/** Same settings, same embedder: the offline table and SDK clients are built once per process. */
const cache = new Map<string, Embedder>();
export function cachedEmbedder(settings: EmbeddingSettings, env: NodeJS.ProcessEnv = process.env): Embedder {
  const key = JSON.stringify(settings);
  let embedder = cache.get(key);
  if (!embedder) {
    embedder = createEmbedder(settings, env);
    cache.set(key, embedder);
  }
  return embedder;
}
