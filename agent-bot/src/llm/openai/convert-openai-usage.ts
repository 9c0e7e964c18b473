import type { ModelUsage } from '../language-model.js';
import type { OpenAIUsage } from './openai-api.js';

/**
 * OpenAI's prompt_tokens already include cached and audio tokens, and completion_tokens include
 * reasoning tokens, which is exactly ModelUsage's "parts are included in totals" rule.
 */
export function convertOpenAIUsage(usage: OpenAIUsage | null | undefined): ModelUsage {
  return {
    inputTokens: usage?.prompt_tokens ?? 0,
    cachedInputTokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
    cacheWriteTokens: 0,
    outputTokens: usage?.completion_tokens ?? 0,
    reasoningTokens: usage?.completion_tokens_details?.reasoning_tokens ?? 0,
    audioInputTokens: usage?.prompt_tokens_details?.audio_tokens ?? 0,
    imageInputTokens: 0,
    raw: usage ?? null,
  };
}
