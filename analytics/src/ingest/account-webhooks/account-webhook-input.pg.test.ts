import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { signChatwootPayload, switchboardConfigSchema } from '@switchboard/core';
import {
  createTestClickHouse,
  createTestDatabase,
  type TestClickHouse,
  type TestDatabase,
} from '@switchboard/core/testing';
import { buildAnalyticsIngest } from '../build-ingest.js';
import { conversationObject, messageCreated } from '../../testing/chatwoot-payloads.js';
import { storableJson } from './storable-json.js';

const SECRET = 'account-webhook-secret-1';
const config = switchboardConfigSchema.parse({
  chatwoot: {
    maxWebhookBytes: 64 * 1024,
    accounts: [
      {
        id: 1,
        baseUrl: 'https://chat.example.com',
        bot: { id: 9, accessToken: 'bot-token' },
        accountWebhookSecret: SECRET,
        inboxes: [{ id: 7, assistant: 'sales', channel: 'whatsapp' }],
      },
    ],
  },
});
const url = '/webhooks/chatwoot/accounts/1';
/** An inbox the bot does not serve: the listener records its messages. */
const widget = { id: 77, inboxId: 99, channel: 'Channel::WebWidget' };

let db: TestDatabase;
let ch: TestClickHouse;
let app: FastifyInstance;
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  [db, ch] = await Promise.all([createTestDatabase(), createTestClickHouse()]);
  const destination = {
    write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>),
  };
  app = buildAnalyticsIngest({
    config,
    logger: pino({ level: 'warn' }, destination),
    db,
    clickhouse: ch,
    startShipper: false,
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await Promise.all([db?.drop(), ch?.drop()]);
});

function signed(raw: string) {
  const ts = String(Math.floor(Date.now() / 1000));
  return {
    method: 'POST' as const,
    url,
    payload: raw,
    headers: {
      'content-type': 'application/json',
      'x-chatwoot-timestamp': ts,
      'x-chatwoot-signature': signChatwootPayload(SECRET, ts, raw),
      'x-chatwoot-delivery': 'f3b1a7a2-0000-4000-8000-000000000042',
    },
  };
}

async function outbox(): Promise<{ event: { customerPhone: string | null; payload: { text?: string } } }[]> {
  return (await db.pool.query('SELECT event FROM analytics_outbox ORDER BY seq')).rows;
}

describe('account webhooks under bad input: never a 5xx for what Chatwoot sent', () => {
  it('stores a message whose phone and text carry NUL and lone surrogates, made storable', async () => {
    await db.pool.query('TRUNCATE analytics_outbox');
    const body = messageCreated({
      id: 9001,
      messageType: 'incoming',
      content: 'oi\u0000 \ud800!',
      conversation: widget,
    });
    body.conversation.meta.sender.phone_number = '+55119\u000087654321';
    const res = await app.inject(signed(JSON.stringify(body)));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ recorded: 1 });
    const [row] = await outbox();
    expect(row!.event.customerPhone).toBe('+5511987654321');
    expect(row!.event.payload.text).toBe('oi \ufffd!');
  });

  const rejected: [string, () => string, string][] = [
    [
      'created_at: 1e20 on a conversation',
      () =>
        JSON.stringify({
          ...conversationObject({ id: 5, inboxId: 99 }),
          event: 'conversation_created',
          created_at: 1e20,
        }),
      'payload not understood',
    ],
    [
      'updated_at: -1 on a status change',
      () =>
        JSON.stringify({
          ...conversationObject({ id: 5 }),
          event: 'conversation_status_changed',
          updated_at: -1,
        }),
      'payload not understood',
    ],
    [
      'created_at "not-a-date" on a message',
      () =>
        JSON.stringify({
          ...messageCreated({ id: 9002, messageType: 'incoming', conversation: widget }),
          created_at: 'not-a-date',
        }),
      'payload not understood',
    ],
    [
      'created_at in year 275760 on a message',
      () =>
        JSON.stringify({
          ...messageCreated({ id: 9003, messageType: 'incoming', conversation: widget }),
          created_at: '+275760-09-13T00:00:00.000Z',
        }),
      'payload not understood',
    ],
    [
      'content_attributes nested 5,000 deep',
      () =>
        JSON.stringify({
          ...messageCreated({ id: 9004, messageType: 'incoming', conversation: widget }),
          content_attributes: {},
        }).replace(
          '"content_attributes":{}',
          `"content_attributes":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
        ),
      'too deeply nested',
    ],
    [
      'a message of another account',
      () => JSON.stringify(messageCreated({ id: 9005, messageType: 'incoming', accountId: 2 })),
      'payload belongs to another account',
    ],
    [
      'a message with a string id',
      () => JSON.stringify({ event: 'message_created', id: 'x' }),
      'payload not understood',
    ],
  ];
  it.each(rejected)(
    '%s → 200, rejected with its reason, logged with the delivery id, nothing stored',
    async (_name, body, reason) => {
      await db.pool.query('TRUNCATE analytics_outbox');
      logs.length = 0;
      const res = await app.inject(signed(body()));
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ recorded: 0, rejected: reason });
      expect(await outbox()).toHaveLength(0);
      expect(
        logs.some((l) => l.reason === reason && l.delivery === 'f3b1a7a2-0000-4000-8000-000000000042'),
      ).toBe(true);
      expect(JSON.stringify(logs)).not.toContain('87654321');
    },
  );

  it('keeps the transport rules: 401 bad signature, 413 too large, 400 not JSON', async () => {
    const good = signed(
      JSON.stringify(messageCreated({ id: 9006, messageType: 'incoming', conversation: widget })),
    );
    expect(
      (await app.inject({ ...good, headers: { ...good.headers, 'x-chatwoot-signature': 'sha256=00' } }))
        .statusCode,
    ).toBe(401);
    expect(
      (await app.inject(signed(`{"event":"message_created","pad":"${'x'.repeat(70 * 1024)}"}`))).statusCode,
    ).toBe(413);
    expect((await app.inject(signed('{not json'))).statusCode).toBe(400);
  });
});

describe('storableJson', () => {
  it('cleans keys as well as values and stops at the depth limit', () => {
    expect(storableJson({ 'k\u0000': ['\udc00x'] })).toEqual({ ok: true, value: { k: ['\ufffdx'] } });
    expect(storableJson({ a: { b: { c: 1 } } }, 2)).toEqual({ ok: false, reason: 'too deeply nested' });
    expect(storableJson('\ud83d\ude00')).toEqual({ ok: true, value: '\ud83d\ude00' });
  });
});
