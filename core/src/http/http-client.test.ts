import { createServer, type AddressInfo } from 'node:net';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpRequestError, httpRequest } from './http-client.js';

const BASE = 'http://upstream.test';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('httpRequest', () => {
  it('sends JSON and parses a JSON answer; every status is an answer, not a throw', async () => {
    nock(BASE)
      .post('/things', { a: 1 })
      .matchHeader('content-type', 'application/json')
      .matchHeader('x-token', 't')
      .reply(201, { id: 5 })
      .get('/missing')
      .reply(404, 'not here')
      .get('/busy')
      .reply(503, '', { 'retry-after': '3' });
    const created = await httpRequest({
      method: 'POST',
      url: `${BASE}/things`,
      json: { a: 1 },
      headers: { 'x-token': 't' },
    });
    expect(created).toMatchObject({ status: 201, data: { id: 5 } });
    expect(await httpRequest({ url: `${BASE}/missing` })).toMatchObject({ status: 404, data: 'not here' });
    const busy = await httpRequest({ url: `${BASE}/busy` });
    expect(busy.status).toBe(503);
    expect(busy.data).toBe('');
    expect(busy.headers.get('retry-after')).toBe('3');
  });

  it('throws a retryable timeout when no answer comes within timeoutMs (body included)', async () => {
    nock(BASE).get('/slow').delay(1000).reply(200, {});
    const error = await httpRequest({ url: `${BASE}/slow`, timeoutMs: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpRequestError);
    expect(error).toMatchObject({ code: 'timeout', detail: 'timeout', retryable: true });
  });

  it("says aborted, not retryable, when the caller's signal ends the call", async () => {
    nock(BASE).get('/slow').delay(1000).reply(200, {});
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const error = await httpRequest({
      url: `${BASE}/slow`,
      timeoutMs: 5000,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'aborted', retryable: false });
  });

  it('names the system error of a network failure', async () => {
    // A port that was just free: connection refused.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    nock.enableNetConnect('127.0.0.1');
    const error = await httpRequest({ url: `http://127.0.0.1:${port}/` }).catch((e: unknown) => e);
    nock.disableNetConnect();
    expect(error).toMatchObject({ code: 'network', detail: 'ECONNREFUSED', retryable: true });
  });
});
