import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callWithRetry } from '../retry-policy.js';
import { loadFixture, TINY_PNG } from '../testing/load-fixture.js';
import { AnthropicMessagesModel } from './anthropic-messages-model.js';

const API = 'https://api.anthropic.com';
const model = () =>
  new AnthropicMessagesModel({ model: 'claude-sonnet-4-5', apiKey: 'sk-ant-test-not-real' });
const hello = {
  system: 'You are helpful.',
  messages: [
    { role: 'user' as const, content: [{ type: 'text' as const, text: 'Do you deliver to Porto?' }] },
  ],
};

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe('AnthropicMessagesModel', () => {
  it('returns text and counts cache reads and writes inside inputTokens', async () => {
    let body: Record<string, unknown> = {};
    nock(API)
      .post('/v1/messages', (b: Record<string, unknown>) => ((body = b), true))
      .reply(200, loadFixture('anthropic', 'anthropic-text.json'));
    const result = await model().generate({ ...hello, temperature: 1.5, maxOutputTokens: 400 });
    expect(result.text).toMatch(/Porto/);
    expect(result.finishReason).toEqual({ unified: 'stop', raw: 'end_turn' });
    expect(result.usage).toMatchObject({
      inputTokens: 4710,
      cachedInputTokens: 3000,
      cacheWriteTokens: 1500,
      outputTokens: 96,
    });
    expect(body).toMatchObject({
      model: 'claude-sonnet-4-5',
      max_tokens: 400,
      temperature: 1,
      system: [{ type: 'text', text: 'You are helpful.', cache_control: { type: 'ephemeral' } }],
    });
  });

  it('returns parallel tool_use blocks and sends images, tool calls and results in Anthropic form', async () => {
    let body: { messages?: Array<{ role: string; content: unknown }>; tools?: unknown } = {};
    nock(API)
      .post('/v1/messages', (b: typeof body) => ((body = b), true))
      .reply(200, loadFixture('anthropic', 'anthropic-tool-use.json'));
    const result = await model().generate({
      system: 's',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look' },
            { type: 'image', mediaType: 'image/png', data: TINY_PNG },
          ],
        },
        {
          role: 'assistant',
          text: 'Checking.',
          toolCalls: [{ id: 'toolu_prev', name: 'knowledge_search', arguments: { query: 'x' } }],
        },
        {
          role: 'tool',
          results: [
            {
              toolCallId: 'toolu_prev',
              name: 'knowledge_search',
              content: 'no such document',
              isError: true,
            },
          ],
        },
        { role: 'user', content: [{ type: 'text', text: 'and?' }] },
      ],
      tools: [
        {
          name: 'knowledge_search',
          description: 'Search',
          parameters: { type: 'object', properties: { query: { type: 'string' } } },
        },
      ],
    });
    expect(result.text).toBe("I'll look up both of those for you.");
    expect(result.finishReason.unified).toBe('tool-calls');
    expect(result.toolCalls).toEqual([
      {
        id: 'toolu_01A09q90qw90lq917835lq9',
        name: 'knowledge_search',
        arguments: { query: 'return policy' },
      },
      {
        id: 'toolu_01B18r81rx81mr828946mr8',
        name: 'knowledge_search',
        arguments: { query: 'store opening hours' },
      },
    ]);
    expect(body.messages).toHaveLength(3);
    expect(body.messages![0]!.content).toEqual([
      { type: 'text', text: 'Look' },
      {
        type: 'image',
        source: { type: 'base64', media_type: 'image/png', data: Buffer.from(TINY_PNG).toString('base64') },
      },
    ]);
    expect(body.messages![1]!.content).toEqual([
      { type: 'text', text: 'Checking.' },
      { type: 'tool_use', id: 'toolu_prev', name: 'knowledge_search', input: { query: 'x' } },
    ]);
    // The tool result and the next user text merge into one user turn.
    expect(body.messages![2]).toEqual({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_prev', content: '"no such document"', is_error: true },
        { type: 'text', text: 'and?' },
      ],
    });
    expect(body.tools).toEqual([
      {
        name: 'knowledge_search',
        description: 'Search',
        input_schema: { type: 'object', properties: { query: { type: 'string' } } },
      },
    ]);
  });

  it('retries 429 after retry-after, then 529 overloaded with backoff', async () => {
    nock(API).post('/v1/messages').reply(429, loadFixture('anthropic', 'anthropic-error-429.json'), {
      'retry-after': '3',
      'request-id': 'req_1',
    });
    nock(API).post('/v1/messages').reply(529, loadFixture('anthropic', 'anthropic-error-529.json'));
    nock(API).post('/v1/messages').reply(200, loadFixture('anthropic', 'anthropic-text.json'));
    const waits: number[] = [];
    const attempts: Array<string | null> = [];
    const result = await callWithRetry('anthropic', (signal) => model().generate({ ...hello, signal }), {
      maxAttempts: 3,
      baseDelayMs: 400,
      maxDelayMs: 5000,
      timeoutMs: 5000,
      sleep: async (ms) => void waits.push(ms),
      random: () => 0.25,
      onAttempt: (a) => attempts.push(a.error?.kind ?? null),
    });
    expect(result.text).toMatch(/Porto/);
    expect(waits).toEqual([3000, 200]);
    expect(attempts).toEqual(['rate_limited', 'server', null]);
  });

  it('classifies 500 and malformed bodies', async () => {
    nock(API).post('/v1/messages').reply(500, loadFixture('anthropic', 'anthropic-error-500.json'));
    await expect(model().generate(hello)).rejects.toMatchObject({
      kind: 'server',
      status: 500,
      retryable: true,
    });
    nock(API)
      .post('/v1/messages')
      .reply(200, '<html>502 Bad Gateway</html>', { 'content-type': 'application/json' });
    await expect(model().generate(hello)).rejects.toMatchObject({ kind: 'invalid_response' });
    nock(API).post('/v1/messages').reply(200, { type: 'message', content: 'not an array' });
    await expect(model().generate(hello)).rejects.toMatchObject({ kind: 'invalid_response' });
  });

  it('times out a slow call', async () => {
    nock(API).post('/v1/messages').delay(2000).reply(200, loadFixture('anthropic', 'anthropic-text.json'));
    const error = await callWithRetry('anthropic', (signal) => model().generate({ ...hello, signal }), {
      maxAttempts: 1,
      baseDelayMs: 1,
      maxDelayMs: 1,
      timeoutMs: 100,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'timeout' });
  });

  it('starts the conversation with a user turn when history opens with our message', async () => {
    let body: { messages?: Array<{ role: string }> } = {};
    nock(API)
      .post('/v1/messages', (b: typeof body) => ((body = b), true))
      .reply(200, loadFixture('anthropic', 'anthropic-text.json'));
    await model().generate({
      system: 's',
      messages: [{ role: 'assistant', text: 'Your order shipped.' }, ...hello.messages],
    });
    expect(body.messages!.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
  });
});
