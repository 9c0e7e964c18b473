import type { ModelUsage } from '../language-model.js';
import type { GeminiUsage } from './gemini-api.js';

/**
 * promptTokenCount already includes cached content; thoughtsTokenCount is NOT part of
 * candidatesTokenCount but is billed as output, so it is added to outputTokens here.
 * Tool-use prompt tokens (server-side tools) are billed as input.
 */
export function convertGeminiUsage(usage: GeminiUsage | null | undefined): ModelUsage {
  const byModality = (modality: string): number =>
    (usage?.promptTokensDetails ?? [])
      .filter((detail) => detail.modality === modality)
      .reduce((sum, detail) => sum + (detail.tokenCount ?? 0), 0);
  const thoughts = usage?.thoughtsTokenCount ?? 0;
  return {
    inputTokens: (usage?.promptTokenCount ?? 0) + (usage?.toolUsePromptTokenCount ?? 0),
    cachedInputTokens: usage?.cachedContentTokenCount ?? 0,
    cacheWriteTokens: 0,
    outputTokens: (usage?.candidatesTokenCount ?? 0) + thoughts,
    reasoningTokens: thoughts,
    audioInputTokens: byModality('AUDIO'),
    imageInputTokens: byModality('IMAGE'),
    raw: usage ?? null,
  };
}
