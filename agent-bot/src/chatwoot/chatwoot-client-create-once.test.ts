import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatwootAccountConfig } from '@switchboard/core';
import { ChatwootClient, REPLY_MARKER_KEY } from './chatwoot-client.js';

const BASE = 'http://chatwoot.test';
const MESSAGES = '/api/v1/accounts/7/conversations/3/messages';
const account = (overrides: Partial<ChatwootAccountConfig> = {}) =>
  ({
    id: 7,
    baseUrl: BASE,
    bot: { id: 9, accessToken: 'bot-token' },
    userAccessToken: 'user-token',
    inboxes: [],
    ...overrides,
  }) as unknown as ChatwootAccountConfig;
const client = (timeoutMs = 2000) =>
  new ChatwootClient({ account: account(), timeoutMs, maxRetries: 3, baseDelayMs: 1 });

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('ChatwootClient.createMessage never posts twice blindly', () => {
  it('does not retry a POST that timed out: Chatwoot may have stored it', async () => {
    let posts = 0;
    nock(BASE)
      .post(MESSAGES)
      .times(4)
      .delay(500)
      .reply(() => {
        posts++;
        return [200, { id: 1 }];
      });
    const error = await client(100)
      .createMessage(3, { content: 'hi' }, { marker: 't:0' })
      .catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(posts).toBe(1);
    expect(error).toMatchObject({ status: null, retryable: true, mayHaveArrived: true });
  });

  it('does not retry a POST answered 5xx', async () => {
    const scope = nock(BASE).post(MESSAGES).reply(502, 'bad gateway');
    const error = await client()
      .createMessage(3, { content: 'hi' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, retryable: true, mayHaveArrived: true });
    scope.done();
    expect(nock.pendingMocks()).toHaveLength(0);
  });

  it('still retries what surely created nothing: 429 and the flood guard', async () => {
    const scope = nock(BASE)
      .post(MESSAGES)
      .reply(429, { error: 'slow down' })
      .post(MESSAGES)
      .reply(422, { error: 'Too many messages' })
      .post(MESSAGES)
      .reply(200, { id: 5 });
    expect(await client().createMessage(3, { content: 'hi' })).toMatchObject({ id: 5 });
    scope.done();
  });

  it('puts the marker in content_attributes, beside items, as JSON and as multipart', async () => {
    let json: unknown;
    let form = '';
    nock(BASE)
      .post(MESSAGES)
      .reply((_uri, body) => {
        json = body;
        return [200, { id: 1 }];
      })
      .post(MESSAGES)
      .reply((_uri, body) => {
        form = typeof body === 'string' ? body : JSON.stringify(body);
        return [200, { id: 2 }];
      });
    await client().createMessage(
      3,
      {
        content: 'pick one',
        content_type: 'input_select',
        content_attributes: { items: [{ title: 'A', value: 'a' }] },
      },
      { marker: 'turn-1:0' },
    );
    expect(json).toMatchObject({
      content_attributes: { items: [{ title: 'A', value: 'a' }], [REPLY_MARKER_KEY]: 'turn-1:0' },
    });
    await client().createMessage(
      3,
      { content: 'file', file: { name: 'a.txt', contentType: 'text/plain', base64: 'YQ==' } },
      { marker: 'turn-1:1' },
    );
    expect(form).toContain('name="content_attributes"');
    expect(form).toContain(JSON.stringify({ [REPLY_MARKER_KEY]: 'turn-1:1' }));
  });
});

describe('ChatwootClient.findMessageByMarker', () => {
  const message = (id: number, createdAt: number, marker?: string) => ({
    id,
    created_at: createdAt,
    content_attributes: marker ? { [REPLY_MARKER_KEY]: marker } : {},
  });

  it('reads the latest messages with the user token, then older pages, until it finds the marker', async () => {
    const scope = nock(BASE)
      .get(MESSAGES)
      .matchHeader('api_access_token', 'user-token')
      .reply(200, { meta: {}, payload: [message(30, 1_000_100), message(31, 1_000_101)] })
      .get(`${MESSAGES}?before=30`)
      .reply(200, {
        meta: {},
        payload: [message(28, 1_000_090, 'other:0'), message(29, 1_000_095, 'turn:1')],
      });
    const found = await client().findMessageByMarker(3, 'turn:1', new Date(1_000_000_000));
    expect(found).toEqual({ id: 29, createdAt: new Date(1_000_095_000) });
    scope.done();
  });

  it('stops at messages older than the POST: null, no further pages', async () => {
    const scope = nock(BASE)
      .get(MESSAGES)
      .reply(200, { meta: {}, payload: [message(10, 999_000), message(11, 1_000_200)] });
    expect(await client().findMessageByMarker(3, 'turn:0', new Date(1_000_000_000))).toBeNull();
    scope.done();
  });

  it('refuses without a user token (GET messages is not on the bot allow-list)', async () => {
    const botOnly = new ChatwootClient({
      account: account({ userAccessToken: undefined }),
      timeoutMs: 100,
      maxRetries: 0,
    });
    expect(botOnly.canReadMessages).toBe(false);
    await expect(botOnly.findMessageByMarker(3, 'x', new Date())).rejects.toMatchObject({ retryable: false });
  });
});
