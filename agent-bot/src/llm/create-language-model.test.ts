import { describe, expect, it } from 'vitest';
import { AnthropicMessagesModel } from './anthropic/anthropic-messages-model.js';
import { createLanguageModel } from './create-language-model.js';
import { GeminiModel } from './gemini/gemini-model.js';
import { OpenAIChatModel } from './openai/openai-chat-model.js';

describe('createLanguageModel', () => {
  it('builds each provider from its config entry', () => {
    expect(createLanguageModel({ provider: 'openai', model: 'gpt-4o-mini', apiKey: 'sk-x' })).toBeInstanceOf(
      OpenAIChatModel,
    );
    expect(
      createLanguageModel({ provider: 'anthropic', model: 'claude-haiku-4-5', apiKey: 'sk-ant-x' }),
    ).toBeInstanceOf(AnthropicMessagesModel);
    expect(
      createLanguageModel({ provider: 'gemini', model: 'gemini-2.5-flash', apiKey: 'AIza-x' }),
    ).toBeInstanceOf(GeminiModel);
    const local = createLanguageModel({
      provider: 'openai-compatible',
      model: 'llama3.1:8b',
      baseUrl: 'http://127.0.0.1:11434/v1',
    });
    expect(local).toMatchObject({
      provider: 'openai-compatible',
      modelId: 'llama3.1:8b',
      supportsImages: false,
    });
  });

  it('skips models that cannot run here: offline, an empty key, a compatible server without URL', () => {
    expect(createLanguageModel({ provider: 'offline', model: 'offline' })).toBeNull();
    expect(createLanguageModel({ provider: 'openai', model: 'gpt-4o-mini', apiKey: '' })).toBeNull();
    expect(
      createLanguageModel({ provider: 'anthropic', model: 'claude-haiku-4-5', apiKey: '  ' }),
    ).toBeNull();
    expect(createLanguageModel({ provider: 'gemini', model: 'gemini-2.5-flash' })).toBeNull();
    expect(createLanguageModel({ provider: 'openai-compatible', model: 'llama3.1:8b' })).toBeNull();
  });
});
