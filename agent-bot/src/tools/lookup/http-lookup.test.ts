import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpLookupSchema } from '@switchboard/core/config/tools';
import { runHttpLookup } from './http-lookup.js';
import { LookupError } from './lookup-error.js';

let server: http.Server;
let base: string;
const seen: Array<{ method: string; url: string; auth: string | undefined; body: string }> = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      seen.push({ method: request.method!, url: request.url!, auth: request.headers.authorization, body });
      const url = new URL(request.url!, 'http://x');
      if (url.pathname === '/orders/42') {
        response.setHeader('content-type', 'application/json');
        response.end(
          JSON.stringify({
            id: 42,
            status: 'shipped',
            secretInternalNote: 'x',
            items: [
              { sku: 'A', qty: 1 },
              { sku: 'B', qty: 2 },
            ],
          }),
        );
      } else if (url.pathname === '/slow') {
        setTimeout(() => response.end('{}'), 1500);
      } else if (url.pathname === '/broken') {
        response.statusCode = 503;
        response.end('down');
      } else if (url.pathname === '/redirect') {
        response.statusCode = 302;
        response.setHeader('location', 'http://example.invalid/steal');
        response.end();
      } else if (url.pathname === '/huge') {
        response.end(JSON.stringify({ blob: 'x'.repeat(10_000) }));
      } else if (url.pathname === '/stock') {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ received: JSON.parse(body || '{}') }));
      } else {
        response.statusCode = 404;
        response.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

function lookup(path: string, extra: Record<string, unknown> = {}) {
  return httpLookupSchema.parse({
    kind: 'http',
    description: 'Order status',
    url: `${base}${path}`,
    headers: { authorization: 'Bearer shop-token' },
    parameters: [{ name: 'order_id', description: 'Order number' }],
    timeoutMs: 500,
    ...extra,
  });
}

describe('HTTP lookups', () => {
  it('fills the URL template, sends the auth header and keeps only declared fields', async () => {
    const result = await runHttpLookup(
      lookup('/orders/{order_id}', { responseFields: ['status', 'items.*.sku'] }),
      { order_id: '42' },
    );
    expect(result).toEqual({ found: true, data: { status: 'shipped', 'items.*.sku': ['A', 'B'] } });
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/orders/42', auth: 'Bearer shop-token' });
  });

  it('URL-encodes values so they cannot change the path or host', async () => {
    const result = await runHttpLookup(lookup('/orders/{order_id}'), { order_id: '../admin?x=1#' });
    expect(result).toEqual({ found: false, data: null });
    expect(seen.at(-1)!.url).toBe('/orders/..%2Fadmin%3Fx%3D1%23');
  });

  it('sends the remaining parameters as query (GET) or JSON body (POST)', async () => {
    await runHttpLookup(
      lookup('/orders/{order_id}', {
        parameters: [
          { name: 'order_id', description: 'n' },
          { name: 'zip', description: 'z' },
        ],
      }),
      { order_id: '42', zip: '10115' },
    );
    expect(seen.at(-1)!.url).toBe('/orders/42?zip=10115');
    const post = await runHttpLookup(lookup('/stock', { method: 'POST' }), { order_id: '7' });
    expect(post).toEqual({ found: true, data: { received: { order_id: '7' } } });
  });

  it.each([
    ['/slow', 'timeout', 'did not answer in time'],
    ['/broken', 'unavailable', 'HTTP 503'],
    ['/redirect', 'rejected', 'HTTP 302'],
  ])('%s → a clear %s error', async (path, kind, text) => {
    const error = await runHttpLookup(lookup(path), { order_id: '1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LookupError);
    expect((error as LookupError).kind).toBe(kind);
    expect((error as LookupError).message).toContain(text);
  });

  it('refuses an oversized response and reports an unreachable service', async () => {
    await expect(
      runHttpLookup(lookup('/huge', { maxResponseBytes: 1000 }), { order_id: '1' }),
    ).rejects.toThrow('more data than this lookup allows');
    const error = await runHttpLookup(
      { ...lookup('/orders/{order_id}'), url: 'http://127.0.0.1:1/orders/{order_id}' },
      { order_id: '1' },
    ).catch((e: unknown) => e);
    expect((error as LookupError).kind).toBe('unavailable');
  });
});
