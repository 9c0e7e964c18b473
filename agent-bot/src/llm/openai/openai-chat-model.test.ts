import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProviderCallError } from '../provider-error.js';
import { callWithRetry } from '../retry-policy.js';
import { loadFixture, TINY_PNG } from '../testing/load-fixture.js';
import { OpenAIChatModel } from './openai-chat-model.js';

const API = 'https://api.openai.com';
const model = () => new OpenAIChatModel({ model: 'gpt-4o-mini', apiKey: 'sk-test-not-a-real-key' });
const hello = {
  system: 'You are helpful.',
  messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'Hi' }] }],
};

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe('OpenAIChatModel', () => {
  it('returns text and normalised usage with cached tokens', async () => {
    let body: Record<string, unknown> = {};
    nock(API)
      .post('/v1/chat/completions', (b: Record<string, unknown>) => ((body = b), true))
      .reply(200, loadFixture('openai', 'openai-text.json'));
    const result = await model().generate({ ...hello, temperature: 0.2, maxOutputTokens: 300 });
    expect(result.text).toMatch(/Monday to Friday/);
    expect(result.finishReason).toEqual({ unified: 'stop', raw: 'stop' });
    expect(result.responseModelId).toBe('gpt-4o-mini-2024-07-18');
    expect(result.usage).toMatchObject({
      inputTokens: 2006,
      cachedInputTokens: 1920,
      outputTokens: 300,
      reasoningTokens: 0,
    });
    expect(body).toMatchObject({
      model: 'gpt-4o-mini',
      temperature: 0.2,
      max_completion_tokens: 300,
      messages: [{ role: 'system', content: 'You are helpful.' }, { role: 'user' }],
    });
  });

  it('reports reasoning tokens and omits temperature for reasoning models', async () => {
    let body: Record<string, unknown> = {};
    nock(API)
      .post('/v1/chat/completions', (b: Record<string, unknown>) => ((body = b), true))
      .reply(200, loadFixture('openai', 'openai-reasoning.json'));
    const o4 = new OpenAIChatModel({ model: 'o4-mini', apiKey: 'sk-test' });
    const result = await o4.generate({ ...hello, temperature: 0.3 });
    expect(result.usage).toMatchObject({
      inputTokens: 1200,
      cachedInputTokens: 1024,
      outputTokens: 850,
      reasoningTokens: 768,
    });
    expect(body).not.toHaveProperty('temperature');
  });

  it('returns several tool calls at once and sends tools, images and tool results in OpenAI form', async () => {
    let body: Record<string, unknown> = {};
    nock(API)
      .post('/v1/chat/completions', (b: Record<string, unknown>) => ((body = b), true))
      .reply(200, loadFixture('openai', 'openai-tool-calls.json'));
    const result = await model().generate({
      system: 's',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', mediaType: 'image/png', data: TINY_PNG },
          ],
        },
        {
          role: 'assistant',
          text: '',
          toolCalls: [{ id: 'call_prev', name: 'knowledge_search', arguments: { query: 'x' } }],
        },
        {
          role: 'tool',
          results: [{ toolCallId: 'call_prev', name: 'knowledge_search', content: { passages: [] } }],
        },
      ],
      tools: [
        {
          name: 'knowledge_search',
          description: 'Search',
          parameters: { type: 'object', properties: { query: { type: 'string' } } },
        },
      ],
    });
    expect(result.finishReason.unified).toBe('tool-calls');
    expect(result.toolCalls).toEqual([
      {
        id: 'call_Qm3vYb1kZ8xW2nRtL5pH7cJd',
        name: 'knowledge_search',
        arguments: { query: 'opening hours Saturday' },
      },
      {
        id: 'call_Ts9fKe4uN6oP1aGq3wVb8yXz',
        name: 'knowledge_search',
        arguments: { query: 'delivery time Lisbon' },
      },
    ]);
    const messages = body.messages as Array<Record<string, unknown>>;
    expect(messages[1]!.content).toEqual([
      { type: 'text', text: 'What is this?' },
      {
        type: 'image_url',
        image_url: { url: `data:image/png;base64,${Buffer.from(TINY_PNG).toString('base64')}` },
      },
    ]);
    expect(messages[2]).toMatchObject({
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_prev', function: { arguments: '{"query":"x"}' } }],
    });
    expect(messages[3]).toEqual({ role: 'tool', tool_call_id: 'call_prev', content: '{"passages":[]}' });
    expect(body.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'knowledge_search',
          description: 'Search',
          parameters: { type: 'object', properties: { query: { type: 'string' } } },
        },
      },
    ]);
    expect(body.parallel_tool_calls).toBe(true);
  });

  it('keeps broken tool-call JSON as a raw string for the loop to report', async () => {
    const fixture = loadFixture('openai', 'openai-tool-calls.json') as {
      choices: Array<{ message: { tool_calls: Array<{ function: { arguments: string } }> } }>;
    };
    fixture.choices[0]!.message.tool_calls[0]!.function.arguments = '{"query": "unterminated';
    nock(API).post('/v1/chat/completions').reply(200, fixture);
    const result = await model().generate(hello);
    expect(result.toolCalls[0]!.arguments).toBe('{"query": "unterminated');
  });

  it('classifies 429 with retry-after and retries after exactly that delay', async () => {
    nock(API).post('/v1/chat/completions').reply(429, loadFixture('openai', 'openai-error-429.json'), {
      'retry-after': '2',
      'x-request-id': 'req_1',
    });
    nock(API).post('/v1/chat/completions').reply(200, loadFixture('openai', 'openai-text.json'));
    const waits: number[] = [];
    const result = await callWithRetry('openai', (signal) => model().generate({ ...hello, signal }), {
      maxAttempts: 3,
      baseDelayMs: 100,
      maxDelayMs: 1000,
      timeoutMs: 5000,
      sleep: async (ms) => void waits.push(ms),
    });
    expect(result.text).toMatch(/Monday/);
    expect(waits).toEqual([2000]);
  });

  it('classifies 500 as retryable server error and gives up after maxAttempts', async () => {
    nock(API)
      .post('/v1/chat/completions')
      .times(2)
      .reply(500, loadFixture('openai', 'openai-error-500.json'));
    const waits: number[] = [];
    const error = await callWithRetry('openai', (signal) => model().generate({ ...hello, signal }), {
      maxAttempts: 2,
      baseDelayMs: 100,
      maxDelayMs: 1000,
      timeoutMs: 5000,
      sleep: async (ms) => void waits.push(ms),
      random: () => 0.5,
    }).catch((e: unknown) => e);
    expect(ProviderCallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'server', status: 500, retryable: true, provider: 'openai' });
    expect(waits).toEqual([50]);
  });

  it('does not retry 401 and never puts the key in the error', async () => {
    nock(API)
      .post('/v1/chat/completions')
      .reply(401, {
        error: {
          message: 'Incorrect API key provided: sk-test-*****-key.',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      });
    const error = (await model()
      .generate(hello)
      .catch((e: unknown) => e)) as ProviderCallError;
    expect(error).toMatchObject({ kind: 'auth', retryable: false });
    expect(error.message).not.toContain('sk-test-not-a-real-key');
  });

  it('reports a malformed body and a body of the wrong shape as invalid_response', async () => {
    nock(API)
      .post('/v1/chat/completions')
      .reply(200, '{"id": "chatcmpl-1", "choices": [', { 'content-type': 'application/json' });
    await expect(model().generate(hello)).rejects.toMatchObject({
      kind: 'invalid_response',
      retryable: true,
    });
    nock(API)
      .post('/v1/chat/completions')
      .reply(200, { id: 'x', object: 'chat.completion', model: 'm', choices: [] });
    await expect(model().generate(hello)).rejects.toMatchObject({ kind: 'invalid_response' });
  });

  it('times out a slow call through the per-call timeout', async () => {
    nock(API).post('/v1/chat/completions').delay(2000).reply(200, loadFixture('openai', 'openai-text.json'));
    const error = await callWithRetry('openai', (signal) => model().generate({ ...hello, signal }), {
      maxAttempts: 1,
      baseDelayMs: 1,
      maxDelayMs: 1,
      timeoutMs: 100,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'timeout', retryable: true });
  });

  it('talks to any OpenAI-compatible base URL with max_tokens', async () => {
    let body: Record<string, unknown> = {};
    nock('http://127.0.0.1:11434')
      .post('/v1/chat/completions', (b: Record<string, unknown>) => ((body = b), true))
      .reply(200, loadFixture('openai', 'openai-text.json'));
    const local = new OpenAIChatModel({
      provider: 'openai-compatible',
      model: 'llama3.1:8b',
      apiKey: 'none',
      baseUrl: 'http://127.0.0.1:11434/v1',
    });
    const result = await local.generate({ ...hello, maxOutputTokens: 100 });
    expect(local.provider).toBe('openai-compatible');
    expect(result.text).toMatch(/Monday/);
    expect(body).toMatchObject({ model: 'llama3.1:8b', max_tokens: 100 });
  });

  it('keeps the whole usage object as raw and maps a refusal to content-filter', async () => {
    const fixture = loadFixture('openai', 'openai-text.json') as {
      choices: Array<{ message: Record<string, unknown> }>;
    };
    fixture.choices[0]!.message.content = null;
    fixture.choices[0]!.message.refusal = "I'm sorry, I can't help with that.";
    nock(API).post('/v1/chat/completions').reply(200, fixture);
    const result = await model().generate(hello);
    expect(result.text).toBe('');
    expect(result.finishReason).toEqual({ unified: 'content-filter', raw: 'stop' });
    expect(result.usage.raw).toMatchObject({ completion_tokens_details: { accepted_prediction_tokens: 0 } });
  });
});
