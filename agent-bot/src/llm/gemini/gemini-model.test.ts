import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callWithRetry } from '../retry-policy.js';
import { loadFixture, TINY_PNG } from '../testing/load-fixture.js';
import { GeminiModel } from './gemini-model.js';

const API = 'https://generativelanguage.googleapis.com';
const PATH = '/v1beta/models/gemini-2.5-flash:generateContent';
const model = () => new GeminiModel({ model: 'gemini-2.5-flash', apiKey: 'AIza-test-not-a-real-key' });
const hello = {
  system: 'Be brief.',
  messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'Horário?' }] }],
};

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe('GeminiModel', () => {
  it('returns text; usage adds thoughts to output and splits image tokens', async () => {
    let body: Record<string, unknown> = {};
    nock(API)
      .post(PATH, (b: Record<string, unknown>) => ((body = b), true))
      .reply(200, loadFixture('gemini', 'gemini-text.json'));
    const result = await model().generate({ ...hello, temperature: 0.4, maxOutputTokens: 256 });
    expect(result.text).toMatch(/Lisboa/);
    expect(result.finishReason).toEqual({ unified: 'stop', raw: 'STOP' });
    expect(result.usage).toMatchObject({
      inputTokens: 5200,
      cachedInputTokens: 4096,
      outputTokens: 580,
      reasoningTokens: 400,
      imageInputTokens: 258,
    });
    expect(result.responseId).toBe('x4EmabWJHtGp1MkP3Y2f2Ac');
    expect(body).toMatchObject({
      contents: [{ role: 'user', parts: [{ text: 'Horário?' }] }],
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      generationConfig: { temperature: 0.4, maxOutputTokens: 256 },
    });
  });

  it('returns parallel function calls and sends them back with their thought signature', async () => {
    nock(API).post(PATH).reply(200, loadFixture('gemini', 'gemini-function-calls.json'));
    const first = await model().generate({
      ...hello,
      tools: [
        {
          name: 'knowledge_search',
          description: 'Search',
          parameters: { type: 'object', properties: { query: { type: 'string' } } },
        },
      ],
    });
    expect(first.finishReason.unified).toBe('tool-calls');
    expect(first.toolCalls.map((c) => [c.id, c.name, c.arguments])).toEqual([
      ['gemini_call_0', 'knowledge_search', { query: 'horario sábado' }],
      ['gemini_call_1', 'knowledge_search', { query: 'envío a Sevilla' }],
    ]);
    expect(first.usage).toMatchObject({ inputTokens: 640, outputTokens: 162, reasoningTokens: 120 });

    let body: { contents?: Array<{ role: string; parts: unknown[] }>; tools?: unknown } = {};
    nock(API)
      .post(PATH, (b: typeof body) => ((body = b), true))
      .reply(200, loadFixture('gemini', 'gemini-text.json'));
    await model().generate({
      system: 's',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look' },
            { type: 'image', mediaType: 'image/png', data: TINY_PNG },
          ],
        },
        { role: 'assistant', text: '', toolCalls: first.toolCalls },
        {
          role: 'tool',
          results: [
            { toolCallId: 'gemini_call_0', name: 'knowledge_search', content: { passages: ['10-20h'] } },
            {
              toolCallId: 'gemini_call_1',
              name: 'knowledge_search',
              content: 'invalid arguments',
              isError: true,
            },
          ],
        },
      ],
      tools: [{ name: 'knowledge_search', description: 'Search', parameters: { type: 'object' } }],
    });
    expect(body.contents![0]!.parts[1]).toEqual({
      inlineData: { mimeType: 'image/png', data: Buffer.from(TINY_PNG).toString('base64') },
    });
    expect(body.contents![1]).toEqual({
      role: 'model',
      parts: [
        {
          functionCall: { name: 'knowledge_search', args: { query: 'horario sábado' } },
          thoughtSignature: 'CiQB0e2Kb7Xc3mVv1nR9pQzL8sT4wY6uA2fH5jK0gD1eC7bN3x0=',
        },
        { functionCall: { name: 'knowledge_search', args: { query: 'envío a Sevilla' } } },
      ],
    });
    expect(body.contents![2]).toEqual({
      role: 'user',
      parts: [
        { functionResponse: { name: 'knowledge_search', response: { output: { passages: ['10-20h'] } } } },
        { functionResponse: { name: 'knowledge_search', response: { error: 'invalid arguments' } } },
      ],
    });
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          { name: 'knowledge_search', description: 'Search', parametersJsonSchema: { type: 'object' } },
        ],
      },
    ]);
  });

  it('reads the wait from RetryInfo on 429 and retries', async () => {
    nock(API).post(PATH).reply(429, loadFixture('gemini', 'gemini-error-429.json'));
    nock(API).post(PATH).reply(200, loadFixture('gemini', 'gemini-text.json'));
    const waits: number[] = [];
    const result = await callWithRetry('gemini', (signal) => model().generate({ ...hello, signal }), {
      maxAttempts: 2,
      baseDelayMs: 100,
      maxDelayMs: 1000,
      timeoutMs: 5000,
      sleep: async (ms) => void waits.push(ms),
    });
    expect(result.text).toMatch(/Lisboa/);
    expect(waits).toEqual([2000]);
  });

  it('classifies 500/503, malformed bodies and timeouts', async () => {
    nock(API).post(PATH).reply(500, loadFixture('gemini', 'gemini-error-500.json'));
    await expect(model().generate(hello)).rejects.toMatchObject({
      kind: 'server',
      status: 500,
      retryable: true,
    });
    nock(API).post(PATH).reply(503, loadFixture('gemini', 'gemini-error-503.json'));
    await expect(model().generate(hello)).rejects.toMatchObject({ kind: 'server', status: 503 });
    nock(API).post(PATH).reply(200, '{"candidates": [{"content": ', { 'content-type': 'application/json' });
    await expect(model().generate(hello)).rejects.toMatchObject({ kind: 'invalid_response' });
    nock(API).post(PATH).delay(2000).reply(200, loadFixture('gemini', 'gemini-text.json'));
    const error = await callWithRetry('gemini', (signal) => model().generate({ ...hello, signal }), {
      maxAttempts: 1,
      baseDelayMs: 1,
      maxDelayMs: 1,
      timeoutMs: 100,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'timeout' });
  });

  it('does not retry a 400 and keeps the key out of the message', async () => {
    nock(API)
      .post(PATH)
      .reply(400, {
        error: {
          code: 400,
          message: 'API key not valid. Please pass a valid API key.',
          status: 'INVALID_ARGUMENT',
        },
      });
    const error = (await model()
      .generate(hello)
      .catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ kind: 'bad_request', retryable: false });
    expect(error.message).not.toContain('AIza-test');
  });
});

describe('GeminiModel safety blocks', () => {
  it('reports a blocked prompt (no candidates) as content-filter with no text', async () => {
    nock(API)
      .post(PATH)
      .reply(200, {
        promptFeedback: { blockReason: 'PROHIBITED_CONTENT' },
        usageMetadata: {
          promptTokenCount: 12,
          totalTokenCount: 12,
          promptTokensDetails: [{ modality: 'TEXT', tokenCount: 12 }],
        },
        modelVersion: 'gemini-2.5-flash',
        responseId: 'blk1',
      });
    const result = await model().generate(hello);
    expect(result).toMatchObject({
      text: '',
      toolCalls: [],
      finishReason: { unified: 'content-filter', raw: 'SAFETY' },
    });
    expect(result.usage.inputTokens).toBe(12);
  });
});
