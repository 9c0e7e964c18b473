import type { ModelRef } from '@switchboard/core';
import { AnthropicMessagesModel } from './anthropic/anthropic-messages-model.js';
import { GeminiModel } from './gemini/gemini-model.js';
import type { LanguageModel } from './language-model.js';
import { OpenAIChatModel } from './openai/openai-chat-model.js';

/** Builds a model from the config; tests inject their own (ScriptedLanguageModel). */
export type ModelFactory = (ref: ModelRef) => LanguageModel | null;

/**
 * The default factory. Returns null when the model cannot be used here: the offline provider
 * (answered by the offline assistant instead) or a missing key, which happens when a
 * `${OPENAI_API_KEY}` interpolates to nothing; the chain then skips that entry.
 */
export const createLanguageModel: ModelFactory = (ref) => {
  const apiKey = ref.apiKey?.trim() ?? '';
  switch (ref.provider) {
    case 'offline':
      return null;
    case 'openai':
      return apiKey ? new OpenAIChatModel({ model: ref.model, apiKey, ...base(ref) }) : null;
    case 'openai-compatible':
      // Local servers usually need no key, but they need a URL.
      return ref.baseUrl
        ? new OpenAIChatModel({
            provider: 'openai-compatible',
            model: ref.model,
            apiKey: apiKey || 'none',
            ...base(ref),
          })
        : null;
    case 'anthropic':
      return apiKey ? new AnthropicMessagesModel({ model: ref.model, apiKey, ...base(ref) }) : null;
    case 'gemini':
      return apiKey ? new GeminiModel({ model: ref.model, apiKey, ...base(ref) }) : null;
  }
};

function base(ref: ModelRef): { baseUrl?: string } {
  return ref.baseUrl ? { baseUrl: ref.baseUrl } : {};
}
