import type { ModelUsage } from '../language-model.js';
import type { AnthropicUsage } from './anthropic-api.js';

/**
 * Anthropic's input_tokens exclude cache reads and writes; ModelUsage counts them inside
 * inputTokens (so totals compare across providers and pricing subtracts the parts).
 * Thinking tokens are billed as output and not reported apart, so reasoningTokens stays 0.
 */
export function convertAnthropicUsage(usage: AnthropicUsage): ModelUsage {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  return {
    inputTokens: usage.input_tokens + cacheRead + cacheWrite,
    cachedInputTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    outputTokens: usage.output_tokens,
    reasoningTokens: 0,
    audioInputTokens: 0,
    imageInputTokens: 0,
    raw: usage,
  };
}
