import { calcPrice } from '@pydantic/genai-prices';
import { Decimal } from 'decimal.js';
import { installedPackageVersion } from '@switchboard/core';
import type { EmbeddingProviderName } from './embedding-settings.js';

const pricesVersion = installedPackageVersion('@pydantic/genai-prices', import.meta.url);

/** Recorded with every cost so that it can be recomputed when prices change. */
export const EMBEDDING_PRICE_VERSION = `genai-prices@${pricesVersion}`;

const PROVIDER_IDS: Partial<Record<EmbeddingProviderName, string>> = { openai: 'openai', gemini: 'google' };

/**
 * USD for `tokens` input tokens, as a 12-decimal string. Offline costs nothing; models the
 * price table does not know (most OpenAI-compatible servers) are recorded as "0" with
 * `known: false` rather than guessed.
 */
export function embeddingCostUsd(
  provider: EmbeddingProviderName,
  model: string,
  tokens: number,
): { costUsd: string; known: boolean } {
  if (provider === 'offline' || tokens === 0) return { costUsd: '0', known: provider === 'offline' };
  const providerId = PROVIDER_IDS[provider];
  const price = calcPrice({ input_tokens: 1_000_000 }, model, providerId ? { providerId } : {});
  const perMillion = price?.model_price?.input_mtok;
  if (typeof perMillion !== 'number') return { costUsd: '0', known: false };
  return { costUsd: new Decimal(perMillion).times(tokens).div(1_000_000).toFixed(12), known: true };
}
