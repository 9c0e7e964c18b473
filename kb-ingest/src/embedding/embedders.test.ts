import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { embedTexts } from './embed-texts.js';
import { EmbeddingCallError } from './embedder.js';
import { embeddingCostUsd, EMBEDDING_PRICE_VERSION } from './embedding-cost.js';
import { createEmbedder, resolveEmbeddingSettings } from './create-embedder.js';
import { createGeminiEmbedder } from './gemini-embedder.js';
import { createOpenAIEmbedder } from './openai-embedder.js';

const OPENAI = 'https://api.openai.com';
const GEMINI = 'https://generativelanguage.googleapis.com';
const KEY = 'sk-test-0123456789abcdef';
const vector = (d: number, seed: number) => Array.from({ length: d }, (_, i) => Math.sin(seed + i));

/** Shaped like OpenAI's real /v1/embeddings response. */
function openaiBody(inputs: string[], d: number, model = 'text-embedding-3-small') {
  return {
    object: 'list',
    data: inputs.map((_, index) => ({ object: 'embedding', index, embedding: vector(d, index) })),
    model,
    usage: { prompt_tokens: inputs.length * 7, total_tokens: inputs.length * 7 },
  };
}

const rateLimited = {
  error: {
    message:
      'Rate limit reached for text-embedding-3-small in organization org-abc on tokens per min (TPM): Limit 1000000, Used 999500, Requested 1200. Please try again in 72ms. Visit https://platform.openai.com/account/rate-limits to learn more.',
    type: 'tokens',
    param: null,
    code: 'rate_limit_exceeded',
  },
};

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('OpenAI embeddings', () => {
  it('batches texts, asks for floats and shortened dimensions, and counts tokens', async () => {
    const bodies: Array<Record<string, unknown>> = [];
    nock(OPENAI)
      .post('/v1/embeddings')
      .times(3)
      .matchHeader('authorization', `Bearer ${KEY}`)
      .reply(200, (_uri, body) => {
        bodies.push(body as Record<string, unknown>);
        return openaiBody((body as { input: string[] }).input, 256);
      });
    const embedder = createOpenAIEmbedder({
      provider: 'openai',
      model: 'text-embedding-3-small',
      dimensions: 256,
      apiKey: KEY,
    });
    const texts = Array.from({ length: 5 }, (_, i) => `text ${i}`);
    const result = await embedTexts(embedder, texts, { batchSize: 2 });
    expect(bodies.map((b) => (b.input as string[]).length)).toEqual([2, 2, 1]);
    expect(bodies[0]).toEqual({
      model: 'text-embedding-3-small',
      input: ['text 0', 'text 1'],
      encoding_format: 'float',
      dimensions: 256,
    });
    expect(result.vectors).toHaveLength(5);
    expect(result.vectors[0]).toHaveLength(256);
    expect(result).toMatchObject({ tokens: 35, requests: 3, retries: 0 });
  });

  it('waits as long as retry-after says on a 429, then succeeds', async () => {
    nock(OPENAI)
      .post('/v1/embeddings')
      .reply(429, rateLimited, { 'retry-after': '2', 'x-ratelimit-remaining-tokens': '0' })
      .post('/v1/embeddings')
      .reply(200, openaiBody(['a'], 1536));
    const waits: number[] = [];
    const embedder = createOpenAIEmbedder({
      provider: 'openai',
      model: 'text-embedding-3-small',
      dimensions: 1536,
      apiKey: KEY,
    });
    const result = await embedTexts(embedder, ['a'], { sleep: async (ms) => void waits.push(ms) });
    expect(waits).toEqual([2000]);
    expect(result).toMatchObject({ requests: 2, retries: 1, tokens: 7 });
  });

  it('gives up after maxAttempts on a provider outage, and never retries a bad key', async () => {
    nock(OPENAI)
      .post('/v1/embeddings')
      .times(3)
      .reply(503, { error: { message: 'The server is overloaded', type: 'server_error' } });
    const embedder = createOpenAIEmbedder({
      provider: 'openai',
      model: 'text-embedding-3-small',
      dimensions: 1536,
      apiKey: KEY,
    });
    const waits: number[] = [];
    const outage = await embedTexts(embedder, ['a'], {
      maxAttempts: 3,
      sleep: async (ms) => void waits.push(ms),
    }).catch((e: unknown) => e);
    expect(outage).toBeInstanceOf(EmbeddingCallError);
    expect((outage as EmbeddingCallError).message).toBe('openai: HTTP 503: The server is overloaded');
    expect(waits).toHaveLength(2);
    expect(waits[1]!).toBeGreaterThan(waits[0]!);

    nock(OPENAI)
      .post('/v1/embeddings')
      .reply(401, {
        error: {
          message: 'Incorrect API key provided: sk-test-***cdef.',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      });
    const denied = await embedTexts(embedder, ['a'], { sleep: async () => undefined }).catch(
      (e: unknown) => e,
    );
    expect(denied).toMatchObject({ status: 401, retryable: false });
    expect(String((denied as Error).message)).not.toContain(KEY);
  });

  it('spaces requests to stay under a requests-per-minute limit', async () => {
    nock(OPENAI)
      .post('/v1/embeddings')
      .times(3)
      .reply(200, (_uri, body) => openaiBody((body as { input: string[] }).input, 1536));
    const embedder = createOpenAIEmbedder({
      provider: 'openai',
      model: 'text-embedding-3-small',
      dimensions: 1536,
      apiKey: KEY,
    });
    const waits: number[] = [];
    await embedTexts(embedder, ['a', 'b', 'c'], {
      batchSize: 1,
      minRequestIntervalMs: 60_000 / 20,
      sleep: async (ms) => void waits.push(ms),
    });
    // Three requests at 20 per minute: the second and third wait for their 3 s slot.
    expect(waits).toHaveLength(2);
    for (const wait of waits) {
      expect(wait).toBeGreaterThan(2500);
      expect(wait).toBeLessThanOrEqual(3000);
    }
  });

  it('rejects vectors of the wrong size instead of storing them', async () => {
    nock(OPENAI)
      .post('/v1/embeddings')
      .reply(200, openaiBody(['a'], 3));
    const embedder = createOpenAIEmbedder({
      provider: 'openai',
      model: 'text-embedding-3-small',
      dimensions: 1536,
      apiKey: KEY,
    });
    await expect(embedTexts(embedder, ['a'])).rejects.toThrow('expected 1536-dimensional vectors, got 3');
  });

  it('talks to an OpenAI-compatible endpoint at its base URL, without the dimensions parameter', async () => {
    let body: Record<string, unknown> = {};
    nock('http://127.0.0.1:11434')
      .post('/v1/embeddings')
      .reply(200, (_uri, b) => {
        body = b as Record<string, unknown>;
        return {
          object: 'list',
          data: [{ object: 'embedding', index: 0, embedding: vector(768, 1) }],
          model: 'nomic-embed-text',
        };
      });
    const embedder = createEmbedder(
      {
        provider: 'openai-compatible',
        model: 'nomic-embed-text',
        dimensions: 768,
        baseUrl: 'http://127.0.0.1:11434/v1',
      },
      {},
    );
    const result = await embedTexts(embedder, ['hello world']);
    expect(body).toEqual({ model: 'nomic-embed-text', input: ['hello world'], encoding_format: 'float' });
    // No usage in the response: estimated from length.
    expect(result.tokens).toBe(3);
  });
});

describe('Gemini embeddings', () => {
  it('uses batchEmbedContents with task type and output dimensionality', async () => {
    let body: { requests: Array<Record<string, unknown>> } = { requests: [] };
    nock(GEMINI)
      .post('/v1beta/models/gemini-embedding-001:batchEmbedContents')
      .matchHeader('x-goog-api-key', 'gm-key')
      .reply(200, (_uri, b) => {
        body = b as typeof body;
        return { embeddings: body.requests.map((_, i) => ({ values: vector(768, i) })) };
      });
    const embedder = createGeminiEmbedder({
      model: 'gemini-embedding-001',
      dimensions: 768,
      apiKey: 'gm-key',
    });
    const result = await embedTexts(embedder, ['where is my order', 'refund'], { purpose: 'query' });
    expect(body.requests).toHaveLength(2);
    expect(body.requests[0]).toMatchObject({
      model: 'models/gemini-embedding-001',
      content: { parts: [{ text: 'where is my order' }] },
      taskType: 'RETRIEVAL_QUERY',
      outputDimensionality: 768,
    });
    expect(result.vectors).toHaveLength(2);
  });

  it('honours RetryInfo.retryDelay on RESOURCE_EXHAUSTED', async () => {
    nock(GEMINI)
      .post('/v1beta/models/gemini-embedding-001:batchEmbedContents')
      .reply(429, {
        error: {
          code: 429,
          message: 'You exceeded your current quota, please check your plan and billing details.',
          status: 'RESOURCE_EXHAUSTED',
          details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '13s' }],
        },
      })
      .post('/v1beta/models/gemini-embedding-001:batchEmbedContents')
      .reply(200, { embeddings: [{ values: vector(768, 0) }] });
    const waits: number[] = [];
    const embedder = createGeminiEmbedder({
      model: 'gemini-embedding-001',
      dimensions: 768,
      apiKey: 'gm-key',
    });
    await embedTexts(embedder, ['a'], { sleep: async (ms) => void waits.push(ms) });
    expect(waits).toEqual([13_000]);
  });
});

describe('embedding settings and cost', () => {
  it('fills provider defaults and refuses what cannot work', () => {
    expect(resolveEmbeddingSettings({ provider: 'openai' })).toEqual({
      provider: 'openai',
      model: 'text-embedding-3-small',
      dimensions: 1536,
    });
    expect(resolveEmbeddingSettings({ provider: 'openai', model: 'text-embedding-3-large' }).dimensions).toBe(
      3072,
    );
    expect(resolveEmbeddingSettings({ provider: 'gemini' })).toEqual({
      provider: 'gemini',
      model: 'gemini-embedding-001',
      dimensions: 768,
    });
    expect(() =>
      resolveEmbeddingSettings({ provider: 'openai', model: 'text-embedding-3-small', dimensions: 4000 }),
    ).toThrow('at most 1536');
    expect(() => resolveEmbeddingSettings({ provider: 'openai-compatible', model: 'x' })).toThrow(
      'baseUrl, model and dimensions',
    );
    expect(() =>
      createEmbedder({ provider: 'openai', model: 'text-embedding-3-small', dimensions: 1536 }, {}),
    ).toThrow('openai embeddings need an API key in OPENAI_API_KEY');
  });

  it('prices tokens from the genai-prices table as exact decimals', () => {
    expect(embeddingCostUsd('openai', 'text-embedding-3-small', 1_000_000)).toEqual({
      costUsd: '0.020000000000',
      known: true,
    });
    expect(embeddingCostUsd('openai', 'text-embedding-3-large', 1234)).toEqual({
      costUsd: '0.000160420000',
      known: true,
    });
    expect(embeddingCostUsd('offline', 'wink', 5000)).toEqual({ costUsd: '0', known: true });
    expect(embeddingCostUsd('openai-compatible', 'my-local-model', 5000)).toEqual({
      costUsd: '0',
      known: false,
    });
    expect(EMBEDDING_PRICE_VERSION).toMatch(/^genai-prices@\d+\.\d+\.\d+$/);
  });
});
