import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatwootAccountConfig } from '@switchboard/core';
import { ChatwootClient } from './chatwoot-client.js';
import { ChatwootError } from './chatwoot-error.js';

const BASE = 'http://chatwoot.test';
const ACCOUNT = '/api/v1/accounts/7';
const account = (overrides: Partial<ChatwootAccountConfig> = {}) =>
  ({
    id: 7,
    baseUrl: `${BASE}/`,
    bot: { id: 9, accessToken: 'bot-token' },
    userAccessToken: 'user-token',
    inboxes: [],
    storageHosts: [],
    rendersMarkdown: true,
    ...overrides,
  }) as unknown as ChatwootAccountConfig;

const client = (options: { timeoutMs?: number; maxRetries?: number; account?: ChatwootAccountConfig } = {}) =>
  new ChatwootClient({
    account: options.account ?? account(),
    timeoutMs: options.timeoutMs ?? 2000,
    maxRetries: options.maxRetries ?? 2,
    baseDelayMs: 1,
  });

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('ChatwootClient', () => {
  it('posts a message as JSON with the bot token and returns the created message', async () => {
    const scope = nock(BASE, { reqheaders: { api_access_token: 'bot-token' } })
      .post(`${ACCOUNT}/conversations/3/messages`, {
        content: 'hello',
        message_type: 'outgoing',
      })
      .matchHeader('content-type', /application\/json/)
      .reply(200, { id: 41, created_at: 1781964191, content: 'hello' });
    const created = await client().createMessage(3, { content: 'hello', message_type: 'outgoing' });
    expect(created).toMatchObject({ id: 41, created_at: 1781964191 });
    scope.done();
  });

  it('sends an attachment as multipart attachments[]', async () => {
    let received = '';
    let contentType = '';
    nock(BASE)
      .post(`${ACCOUNT}/conversations/3/messages`)
      .reply(function (_uri, body) {
        received = typeof body === 'string' ? body : JSON.stringify(body);
        contentType = String(this.req.headers['content-type']);
        return [200, { id: 42 }];
      });
    await client().createMessage(3, {
      content: 'your receipt',
      file: {
        name: 'receipt.pdf',
        contentType: 'application/pdf',
        base64: Buffer.from('%PDF-1.4').toString('base64'),
      },
    });
    expect(contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(received).toContain('name="attachments[]"; filename="receipt.pdf"');
    expect(received).toContain('%PDF-1.4');
    expect(received).toContain('your receipt');
  });

  it('retries 5xx and the flood guard (422 "Too many messages"), then succeeds', async () => {
    const scope = nock(BASE)
      .post(`${ACCOUNT}/conversations/3/toggle_status`, { status: 'open' })
      .reply(503, 'busy')
      .post(`${ACCOUNT}/conversations/3/toggle_status`)
      .reply(422, { error: 'Too many messages' })
      .post(`${ACCOUNT}/conversations/3/toggle_status`)
      .reply(200, { payload: { success: true } });
    await client().toggleStatus(3, 'open');
    scope.done();
  });

  it('waits at least what Retry-After says on a 429', async () => {
    nock(BASE)
      .get(`${ACCOUNT}/conversations/3`)
      .reply(429, { error: 'slow down' }, { 'retry-after': '1' })
      .get(`${ACCOUNT}/conversations/3`)
      .reply(200, { id: 3, status: 'open' });
    const started = Date.now();
    expect(await client().getConversation(3)).toMatchObject({ id: 3, status: 'open' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('gives up at once on other 4xx with a ChatwootError that names the status, not the token', async () => {
    const scope = nock(BASE)
      .get(`${ACCOUNT}/conversations/3`)
      .reply(404, { error: 'Resource could not be found' });
    const error = await client()
      .getConversation(3)
      .catch((e: unknown) => e);
    expect(ChatwootError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      status: 404,
      retryable: false,
      path: '/conversations/3',
      message: 'Chatwoot GET /conversations/3 failed: 404 Resource could not be found',
    });
    expect((error as Error).message).not.toContain('bot-token');
    scope.done();
  });

  it('gives up after maxRetries on an outage, as retryable for the caller', async () => {
    const scope = nock(BASE).get(`${ACCOUNT}/conversations/3`).times(3).reply(502, 'bad gateway');
    const error = await client({ maxRetries: 2 })
      .getConversation(3)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, retryable: true });
    scope.done();
  });

  it('times out a call that does not answer in timeoutMs, and retries it', async () => {
    nock(BASE).post(`${ACCOUNT}/conversations/3/toggle_typing_status`).delay(1000).reply(200, {});
    const started = Date.now();
    const error = await client({ timeoutMs: 100 })
      .toggleTyping(3, true)
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(900);
    expect(error).toMatchObject({ status: null, retryable: true });
    expect((error as Error).message).toBe(
      'Chatwoot POST /conversations/3/toggle_typing_status failed: network timeout',
    );
  });

  it('says which system error stopped an unreachable server', async () => {
    // A port that was just free: connection refused.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    nock.enableNetConnect('127.0.0.1');
    const unreachable = new ChatwootClient({
      account: account({ baseUrl: `http://127.0.0.1:${port}` }),
      timeoutMs: 2000,
      maxRetries: 0,
    });
    const error = await unreachable.getConversation(3).catch((e: unknown) => e);
    nock.disableNetConnect();
    expect(error).toMatchObject({ status: null, retryable: true });
    expect((error as Error).message).toBe('Chatwoot GET /conversations/3 failed: network ECONNREFUSED');
  });

  it('uses the user token where a bot token may not go, and merges labels', async () => {
    const scope = nock(BASE)
      .put(`${ACCOUNT}/contacts/5`, { name: 'Ana' })
      .matchHeader('api_access_token', 'user-token')
      .reply(200, {})
      .get(`${ACCOUNT}/conversations/3/labels`)
      .matchHeader('api_access_token', 'bot-token')
      .reply(200, { payload: ['vip'] })
      .post(`${ACCOUNT}/conversations/3/labels`, { labels: ['vip', 'billing'] })
      .reply(200, { payload: ['vip', 'billing'] });
    await client().updateContact(5, { name: 'Ana' });
    expect(await client().addLabels(3, ['billing', 'vip'])).toEqual(['vip', 'billing']);
    scope.done();
    const botOnly = client({ account: account({ userAccessToken: undefined }) });
    await expect(botOnly.updateContact(5, { name: 'Ana' })).rejects.toMatchObject({ retryable: false });
    expect(await botOnly.inboxTemplates(1)).toBeNull();
  });
});
