import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createLogger, switchboardConfigSchema } from '@switchboard/core';
import {
  createTestClickHouse,
  createTestDatabase,
  type TestClickHouse,
  type TestDatabase,
} from '@switchboard/core/testing';
import { buildAnalyticsIngest } from './ingest/build-ingest.js';
import { buildAnalyticsServe } from './serve/build-serve.js';

const TOKEN = 'token-account-one-0123456789abcdef';
const config = switchboardConfigSchema.parse({
  chatwoot: {
    accounts: [
      {
        id: 1,
        baseUrl: 'https://chat.example.com',
        bot: { id: 9, accessToken: 'bot-token' },
        accountWebhookSecret: 'account-webhook-secret-1',
      },
    ],
  },
  analytics: { accounts: [{ accountId: 1, apiToken: TOKEN }] },
});
const logger = createLogger({ level: 'silent', format: 'json' });

let db: TestDatabase;
let ch: TestClickHouse;
let ingest: FastifyInstance;
let serve: FastifyInstance;

beforeAll(async () => {
  [db, ch] = await Promise.all([createTestDatabase(), createTestClickHouse()]);
  ingest = buildAnalyticsIngest({ config, logger, db, clickhouse: ch, startShipper: false });
  serve = buildAnalyticsServe({ config, logger, clickhouse: ch });
  await Promise.all([ingest.ready(), serve.ready()]);
});
afterAll(async () => {
  await Promise.all([ingest?.close(), serve?.close()]);
  await Promise.all([db?.drop(), ch?.drop()]);
});

const auth = { authorization: `Bearer ${TOKEN}` };

describe('analytics as two processes', () => {
  it('ingest takes account webhooks and reports PostgreSQL and ClickHouse, and serves no reads', async () => {
    const health = await ingest.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.body).toMatch(/postgres/);
    expect(health.body).toMatch(/clickhouse/);
    // Reached the route: an unsigned delivery is refused, not unknown.
    const webhook = await ingest.inject({
      method: 'POST',
      url: '/webhooks/chatwoot/accounts/1',
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(webhook.statusCode).toBe(401);
    for (const url of ['/api/metrics?from=2026-11-01&to=2026-11-08', '/panel']) {
      expect((await ingest.inject({ method: 'GET', url, headers: auth })).statusCode, url).toBe(404);
    }
  });

  it('serve answers the API and the panel, reports ClickHouse only, and takes no webhooks', async () => {
    const health = await serve.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.body).toMatch(/clickhouse/);
    expect(health.body).not.toMatch(/postgres/);
    const metrics = await serve.inject({
      method: 'GET',
      url: '/api/metrics?from=2026-11-01&to=2026-11-08',
      headers: auth,
    });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.json().conversations.total).toBe(0);
    expect((await serve.inject({ method: 'GET', url: '/panel' })).statusCode).toBe(200);
    const webhook = await serve.inject({
      method: 'POST',
      url: '/webhooks/chatwoot/accounts/1',
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(webhook.statusCode).toBe(404);
  });
});
