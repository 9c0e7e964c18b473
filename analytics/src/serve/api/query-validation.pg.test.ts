import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createLogger, switchboardConfigSchema } from '@switchboard/core';
import { createTestClickHouse, type TestClickHouse } from '@switchboard/core/testing';
import { buildAnalyticsServe } from '../build-serve.js';
import { insertEvents, seededEvents } from '../../testing/seed-dataset.js';

const TOKEN = 'token-account-one-0123456789abcdef';
const config = switchboardConfigSchema.parse({
  analytics: { accounts: [{ accountId: 1, apiToken: TOKEN }] },
});
const headers = { authorization: `Bearer ${TOKEN}` };

let ch: TestClickHouse;
let app: FastifyInstance;
let brokenApp: FastifyInstance;

beforeAll(async () => {
  ch = await createTestClickHouse();
  await insertEvents(ch, seededEvents());
  const logger = createLogger({ level: 'silent', format: 'json' });
  app = buildAnalyticsServe({ config, clickhouse: ch, logger });
  // The same real ClickHouse, every query capped at one row read: ClickHouse itself refuses
  // each query (TOO_MANY_ROWS, with its exception text), as when a server is overloaded or down.
  const refusing = {
    ...ch,
    client: {
      ...ch.client,
      query: (params: Parameters<typeof ch.client.query>[0]) =>
        ch.client.query({
          ...params,
          clickhouse_settings: {
            ...params.clickhouse_settings,
            max_rows_to_read: '1',
            read_overflow_mode: 'throw',
          },
        }),
    },
  } as TestClickHouse;
  brokenApp = buildAnalyticsServe({ config, clickhouse: refusing, logger });
  await Promise.all([app.ready(), brokenApp.ready()]);
});
afterAll(async () => {
  await Promise.all([app?.close(), brokenApp?.close()]);
  await ch?.drop();
});

const ENDPOINTS = ['/api/metrics', '/api/export/conversations', '/api/export/messages'];

describe('bad query values: 400 with a message, before any query or stream', () => {
  const cases: [string, string][] = [
    ['from=2026-02-30&to=2026-03-05', 'from'],
    ['from=2026-11-01&to=2026-04-31T00:00:00Z', 'to'],
    ['from=-271821-04-20&to=2026-11-01', 'from'],
    ['from=2026-11-01&to=275760-09-13', 'to'],
    ['from=2026-11-01T25:00:00Z&to=2026-11-02', 'from'],
    ['from=2026-11-01T10:00:00&to=2026-11-02', 'from'],
    ['from=1 Nov 2026&to=2026-11-02', 'from'],
    ['from=2026-11-01&to=2026-11-08&inbox=99999999999999999999', 'inbox.0'],
    ['from=2026-11-01&to=2026-11-08&customerId=1e30', 'customerId'],
    ['from=2026-11-01&to=2026-11-08&customerId=12.5', 'customerId'],
  ];
  for (const url of ENDPOINTS) {
    it.each(cases)(`${url}?%s → 400 naming %s`, async (query, field) => {
      const res = await app.inject({ url: `${url}?${query}`, headers });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      const body = res.json();
      expect(body.issues.map((i: { path: string }) => i.path)).toContain(field);
      expect(body.issues[0].message.length).toBeGreaterThan(5);
      expect(res.body).not.toMatch(/DB::|Code: \d+|Exception/);
    });
  }

  it('refuses an unknown time zone for the buckets and accepts an IANA one', async () => {
    const bad = await app.inject({ url: '/api/metrics?bucket=day&timezone=Mars/Olympus', headers });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues.map((i: { path: string }) => i.path)).toContain('timezone');
    const good = await app.inject({
      url: '/api/metrics?from=2026-11-01&to=2026-11-03&bucket=day&timezone=America/Sao_Paulo',
      headers,
    });
    expect(good.statusCode).toBe(200);
    expect(good.json().series.map((p: { bucket: string }) => p.bucket)).toEqual([
      '2026-10-31T03:00:00.000Z',
      '2026-11-01T03:00:00.000Z',
      '2026-11-02T03:00:00.000Z',
    ]);
  });

  it('accepts the forms it documents: a date, a UTC date-time with milliseconds, an offset', async () => {
    for (const query of [
      'from=2026-11-01&to=2026-11-08',
      'from=2026-11-01T00:00:00.000Z&to=2026-11-08T00:00:00Z',
      'from=2026-11-01T02:00:00%2B02:00&to=2026-11-07T20:00-04:00',
      'from=2028-02-29&to=2028-03-01',
    ]) {
      const res = await app.inject({ url: `/api/metrics?${query}`, headers });
      expect(res.statusCode, query).toBe(200);
    }
    const offset = (
      await app.inject({ url: '/api/metrics?from=2026-11-01T02:00:00%2B02:00&to=2026-11-08', headers })
    ).json();
    expect(offset.range.from).toBe('2026-11-01T00:00:00.000Z');
  });
});

describe('ClickHouse refusing a query', () => {
  it.each(ENDPOINTS)('%s answers 503 with a short message, never ClickHouse text, never 200', async (url) => {
    const res = await brokenApp.inject({ url: `${url}?from=2026-11-01&to=2026-11-08`, headers });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ error: 'analytics storage is unavailable, try again later' });
    expect(res.body).not.toMatch(/DB::|Code: \d+|events|Exception/);
  });
});
