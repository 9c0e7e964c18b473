import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createLogger, signChatwootPayload, switchboardConfigSchema } from '@switchboard/core';
import {
  createTestClickHouse,
  createTestDatabase,
  type TestClickHouse,
  type TestDatabase,
} from '@switchboard/core/testing';
import { buildAnalyticsService } from './service.js';
import { insertEvents, seededEvents } from './testing/seed-dataset.js';
import {
  modelCallEvent,
  toolCallEvent,
  turnEvent,
  costEvent,
  handoffEvent,
} from './testing/event-factory.js';
import { analyticsEventSchema } from '@switchboard/events';
import { messageCreated, conversationObject } from './testing/chatwoot-payloads.js';
import { PassThrough } from 'node:stream';
import { runExportCli } from './cli/export-cli.js';

const TOKEN_1 = 'token-account-one-0123456789abcdef';
const TOKEN_2 = 'token-account-two-0123456789abcdef';
const SECRET = 'account-webhook-secret-1';
const RANGE = 'from=2026-11-01&to=2026-11-08';

const config = switchboardConfigSchema.parse({
  chatwoot: {
    accounts: [
      {
        id: 1,
        baseUrl: 'https://chat.example.com',
        bot: { id: 9, accessToken: 'bot-token' },
        accountWebhookSecret: SECRET,
        inboxes: [
          { id: 7, assistant: 'sales', channel: 'whatsapp' },
          { id: 11, assistant: 'sales', channel: 'test' },
        ],
      },
      { id: 2, baseUrl: 'https://chat.example.com', bot: { id: 10, accessToken: 'bot-token-2' } },
    ],
  },
  analytics: {
    accounts: [
      { accountId: 1, apiToken: TOKEN_1 },
      { accountId: 2, apiToken: TOKEN_2 },
    ],
  },
});

let db: TestDatabase;
let ch: TestClickHouse;
let app: FastifyInstance;

beforeAll(async () => {
  [db, ch] = await Promise.all([createTestDatabase(), createTestClickHouse()]);
  await insertEvents(ch, seededEvents());
  app = buildAnalyticsService({
    config,
    logger: createLogger({ level: 'silent', format: 'json' }),
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

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describe('API security: every endpoint needs the account token and returns only that account', () => {
  const endpoints = [
    `/api/metrics?${RANGE}`,
    `/api/export/conversations?${RANGE}`,
    `/api/export/messages?${RANGE}&format=ndjson`,
    '/api/conversations/101/insight',
  ];
  it.each(endpoints)('%s refuses missing, wrong and cross-account requests', async (url) => {
    expect((await app.inject({ url })).statusCode).toBe(401);
    expect((await app.inject({ url, headers: auth('not-a-real-token-000000000000') })).statusCode).toBe(401);
    const sep = url.includes('?') ? '&' : '?';
    expect((await app.inject({ url: `${url}${sep}account=2`, headers: auth(TOKEN_1) })).statusCode).toBe(403);
    expect((await app.inject({ url, headers: auth(TOKEN_1) })).statusCode).toBe(200);
  });

  it('account 2 sees only its own data on every endpoint', async () => {
    const metrics = (await app.inject({ url: `/api/metrics?${RANGE}`, headers: auth(TOKEN_2) })).json();
    expect(metrics.accountId).toBe(2);
    expect(metrics.conversations.total).toBe(1);
    expect(metrics.cost.totalUsd).toBe('5');
    const conversations = (
      await app.inject({ url: `/api/export/conversations?${RANGE}&format=ndjson`, headers: auth(TOKEN_2) })
    ).body;
    expect(lines(conversations).map((r) => r.conversation_id)).toEqual([201]);
    const messages = (
      await app.inject({ url: `/api/export/messages?${RANGE}&format=ndjson`, headers: auth(TOKEN_2) })
    ).body;
    expect(lines(messages).map((r) => [r.account_id, r.message_id])).toEqual([[2, 91]]);
    const insight = (
      await app.inject({ url: '/api/conversations/101/insight', headers: auth(TOKEN_2) })
    ).json();
    expect(insight).toMatchObject({ found: false, turns: [], totalCostUsd: '0' });
    // The panel page itself can pass the token in its URL (an iframe cannot send headers).
    expect((await app.inject({ url: `/api/metrics?${RANGE}&token=${TOKEN_2}` })).json().accountId).toBe(2);
  });
});

describe('GET /api/metrics', () => {
  it('answers the hand-computed values with filters and a series', async () => {
    const res = await app.inject({
      url: `/api/metrics?${RANGE}&channel=whatsapp&bucket=day`,
      headers: auth(TOKEN_1),
    });
    expect(res.statusCode).toBe(200);
    const m = res.json();
    expect(m.conversations.total).toBe(2);
    expect(m.cost.totalUsd).toBe('0.0161');
    expect(m.series).toHaveLength(7);
  });

  it('rejects bad filters with 400 naming the field', async () => {
    const res = await app.inject({ url: `/api/metrics?${RANGE}&channel=email`, headers: auth(TOKEN_1) });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues[0].path).toBe('channel.0');
    expect(
      (await app.inject({ url: '/api/metrics?from=2026-11-08&to=2026-11-01', headers: auth(TOKEN_1) }))
        .statusCode,
    ).toBe(400);
    expect(
      (await app.inject({ url: `/api/metrics?${RANGE}&bucket=minute`, headers: auth(TOKEN_1) })).statusCode,
    ).toBe(400);
  });
});

describe('exports', () => {
  it('streams conversations as CSV, one row per conversation', async () => {
    const res = await app.inject({ url: `/api/export/conversations?${RANGE}`, headers: auth(TOKEN_1) });
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-length']).toBeUndefined();
    const [header, ...rows] = res.body.trim().split('\n');
    const cols = header!.split(',');
    expect(rows).toHaveLength(4);
    const first = Object.fromEntries(rows[0]!.split(',').map((v, i) => [cols[i], v]));
    expect(first).toMatchObject({
      account_id: '1',
      conversation_id: '101',
      channel: 'whatsapp',
      customer_phone: "'+5511987654321", // text: quoted against formula injection
      messages_total: '5',
      customer_messages_answered: '3',
      ai_resolved: '1',
      status: 'resolved',
      cost_usd: '0.0026',
      cost_transcription_usd: '0.0006',
    });
  });

  it('exports messages as NDJSON in time order, private notes marked', async () => {
    const res = await app.inject({
      url: `/api/export/messages?${RANGE}&format=ndjson`,
      headers: auth(TOKEN_1),
    });
    const rows = lines(res.body);
    expect(rows).toHaveLength(16);
    expect(rows.every((r) => r.account_id === 1)).toBe(true);
    const times = rows.map((r) => String(r.occurred_at));
    expect([...times].sort()).toEqual(times);
    expect(rows.filter((r) => r.is_private)).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      conversation_id: 101,
      message_id: 1,
      author: 'customer',
      text: 'Quanto custa?',
    });
  });
});

describe('export CLI through the running service (--url)', () => {
  it('streams the same rows with the account token', async () => {
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const code = await runExportCli(
      [
        'messages',
        '--url',
        address,
        '--token',
        TOKEN_2,
        '--from',
        '2026-11-01',
        '--to',
        '2026-11-08',
        '--format',
        'ndjson',
      ],
      { stdout: out },
    );
    expect(code).toBe(0);
    expect(lines(Buffer.concat(chunks).toString()).map((r) => r.message_id)).toEqual([91]);
    const err = new PassThrough();
    expect(
      await runExportCli(['messages', '--url', address, '--token', 'bad'], {
        stdout: new PassThrough(),
        stderr: err,
      }),
    ).toBe(1);
  });
});

describe('insight panel data', () => {
  it('groups model and tool calls under their AI turn, with the total cost', async () => {
    const c = { conversationId: 300, assistant: 'sales', occurredAt: '2026-11-07T10:00:00.000Z' };
    await insertEvents(ch, [
      modelCallEvent({ ...c, costUsd: '0.0012', turnId: 't1', input: 1500, output: 120 }),
      toolCallEvent('lookup_order', { ...c, turnId: 't1', occurredAt: '2026-11-07T10:00:01.000Z' }),
      modelCallEvent({
        ...c,
        costUsd: '0.0008',
        turnId: 't1',
        input: 1700,
        output: 60,
        occurredAt: '2026-11-07T10:00:02.000Z',
      }),
      turnEvent({ ...c, turnId: 't1', latencyMs: 3500, merged: 2, occurredAt: '2026-11-07T10:00:03.000Z' }),
      analyticsEventSchema.parse({
        ...costEvent('transcription', { ...c, costUsd: '0.0006', occurredAt: '2026-11-07T09:59:59.000Z' }),
        payload: {
          messageId: 1,
          provider: 'openai',
          model: 'whisper-1',
          durationSeconds: 6,
          latencyMs: 900,
          outcome: 'ok',
          priceVersion: 't',
          text: 'Onde está meu pedido?',
        },
      }),
      handoffEvent('customer_request', { ...c, occurredAt: '2026-11-07T10:05:00.000Z' }),
    ]);
    const res = await app.inject({ url: '/api/conversations/300/insight', headers: auth(TOKEN_1) });
    const insight = res.json();
    expect(insight).toMatchObject({
      found: true,
      assistant: 'sales',
      totalCostUsd: '0.0026',
      tokens: { input: 3200, output: 180 },
    });
    expect(insight.turns).toHaveLength(1);
    expect(insight.turns[0]).toMatchObject({
      turnId: 't1',
      latencyMs: 3500,
      mergedMessages: 2,
      costUsd: '0.002',
    });
    expect(insight.turns[0].calls.map((x: { kind: string; name: string }) => `${x.kind}:${x.name}`)).toEqual([
      'model_call:gpt-4.1-mini',
      'tool_call:lookup_order',
      'model_call:gpt-4.1-mini',
    ]);
    expect(insight.media[0]).toMatchObject({ kind: 'transcription', text: 'Onde está meu pedido?' });
    expect(insight.handoffs[0]).toMatchObject({ reason: 'customer_request' });
    expect(
      (await app.inject({ url: '/api/conversations/abc/insight', headers: auth(TOKEN_1) })).statusCode,
    ).toBe(400);
  });

  it('serves the page and its script without data and with a CSP', async () => {
    const page = await app.inject({ url: '/panel?token=x' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBeUndefined();
    expect((await app.inject({ url: '/panel.js' })).body).toContain('chatwoot-dashboard-app:fetch-info');
  });
});

describe('POST /webhooks/chatwoot/accounts/:accountId', () => {
  const url = '/webhooks/chatwoot/accounts/1';
  function signed(body: unknown, options: { secret?: string; timestamp?: number } = {}) {
    const raw = JSON.stringify(body);
    const ts = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    return {
      method: 'POST' as const,
      url,
      payload: raw,
      headers: {
        'content-type': 'application/json',
        'x-chatwoot-timestamp': ts,
        'x-chatwoot-signature': signChatwootPayload(options.secret ?? SECRET, ts, raw),
        'x-chatwoot-delivery': 'f3b1a7a2-0000-4000-8000-000000000001',
      },
    };
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test reads arbitrary JSON paths
  async function outbox(): Promise<{ event_type: string; event: Record<string, any> }[]> {
    return (await db.pool.query('SELECT event_type, event FROM analytics_outbox ORDER BY seq')).rows;
  }

  it('records no message of a bot inbox: agent-bot records every one of them (customer, AI, human, private)', async () => {
    await db.pool.query('TRUNCATE analytics_outbox');
    const messages = [
      messageCreated({ id: 5001, messageType: 'outgoing', senderType: 'user', content: 'Posso ajudar?' }),
      messageCreated({ id: 5002, messageType: 'outgoing', senderType: 'user', private: true }),
      messageCreated({ id: 5003, messageType: 'incoming' }),
      messageCreated({ id: 5004, messageType: 'outgoing', senderType: 'agent_bot' }),
    ];
    for (const message of messages) {
      const response = await app.inject(signed(message));
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ recorded: 0 });
    }
    // Two producers with different event ids would count these twice in the conversation table.
    expect(await outbox()).toHaveLength(0);
  });

  it('records every message of inboxes without the bot (web widget), with the channel type', async () => {
    await db.pool.query('TRUNCATE analytics_outbox');
    const conversation = { id: 77, inboxId: 99, channel: 'Channel::WebWidget', phone: null };
    expect(
      (await app.inject(signed(messageCreated({ id: 6001, messageType: 'incoming', conversation })))).json(),
    ).toEqual({ recorded: 1 });
    expect(
      (await app.inject(signed(messageCreated({ id: 6002, messageType: 'template', conversation })))).json(),
    ).toEqual({ recorded: 1 });
    const rows = await outbox();
    expect(
      rows.map((r) => [r.event.channel, r.event.assistant, r.event.customerPhone, r.event.payload.author]),
    ).toEqual([
      ['web', null, null, 'customer'],
      ['web', null, null, 'system'],
    ]);
    // The test-marked inbox of the config is bot-served: its conversation events are labelled `test`.
    await app.inject(
      signed({ ...conversationObject({ id: 77, inboxId: 11 }), event: 'conversation_created' }),
    );
    expect((await outbox())[2]!.event.channel).toBe('test');
  });

  it('records conversation created, status and assignee changes, and ignores the rest', async () => {
    await db.pool.query('TRUNCATE analytics_outbox');
    const conv = conversationObject({ id: 124 });
    expect((await app.inject(signed({ ...conv, event: 'conversation_created' }))).json()).toEqual({
      recorded: 1,
    });
    expect(
      (
        await app.inject(
          signed({
            ...conv,
            status: 'resolved',
            event: 'conversation_status_changed',
            changed_attributes: null,
          }),
        )
      ).json(),
    ).toEqual({ recorded: 1 });
    const assigned = {
      ...conv,
      status: 'open',
      meta: { ...conv.meta, assignee: { id: 5 }, assignee_type: 'User' },
    };
    expect(
      (
        await app.inject(
          signed({
            ...assigned,
            event: 'conversation_updated',
            changed_attributes: [{ assignee_id: { previous_value: null, current_value: 5 } }],
          }),
        )
      ).json(),
    ).toEqual({ recorded: 1 });
    expect(
      (
        await app.inject(
          signed({ ...conv, event: 'conversation_updated', changed_attributes: [{ label_list: {} }] }),
        )
      ).json(),
    ).toEqual({ recorded: 0 });
    expect((await app.inject(signed({ event: 'contact_created', id: 1 }))).json()).toEqual({ recorded: 0 });
    const rows = await outbox();
    expect(
      rows.map((r) => [r.event.payload.change, r.event.payload.status, r.event.payload.assigneeType]),
    ).toEqual([
      ['created', 'pending', 'none'],
      ['resolved', 'resolved', 'none'],
      ['assignee_changed', 'open', 'user'],
    ]);
    expect(rows[0]!.event.occurredAt).toBe(new Date(1793613600 * 1000).toISOString());
  });

  it('refuses unsigned, badly signed, stale, foreign and malformed deliveries', async () => {
    await db.pool.query('TRUNCATE analytics_outbox');
    const body = messageCreated({ id: 7001, messageType: 'outgoing', senderType: 'user' });
    const good = signed(body);
    expect((await app.inject({ ...good, headers: { 'content-type': 'application/json' } })).statusCode).toBe(
      401,
    );
    expect((await app.inject(signed(body, { secret: 'wrong' }))).statusCode).toBe(401);
    expect(
      (await app.inject(signed(body, { timestamp: Math.floor(Date.now() / 1000) - 3600 }))).statusCode,
    ).toBe(401);
    // Body altered after signing (same signature).
    expect((await app.inject({ ...good, payload: good.payload.replace('Olá', 'Olé') })).statusCode).toBe(401);
    expect((await app.inject({ ...signed(body), url: '/webhooks/chatwoot/accounts/3' })).statusCode).toBe(
      404,
    );
    // Account 2 has no accountWebhookSecret: its webhooks are refused, not accepted unsigned.
    expect((await app.inject({ ...signed(body), url: '/webhooks/chatwoot/accounts/2' })).statusCode).toBe(
      401,
    );
    // Signed for account 1 but the payload says account 2: acknowledged (Chatwoot would count
    // a 4xx as a failed delivery), rejected with its reason, nothing stored.
    expect(
      (
        await app.inject(
          signed(messageCreated({ id: 7002, messageType: 'outgoing', senderType: 'user', accountId: 2 })),
        )
      ).json(),
    ).toEqual({ recorded: 0, rejected: 'payload belongs to another account' });
    expect((await app.inject(signed({ event: 'message_created', id: 'x' }))).json()).toEqual({
      recorded: 0,
      rejected: 'payload not understood',
    });
    const notJson = signed('x');
    expect(
      (
        await app.inject({
          ...notJson,
          payload: '{not json',
          headers: {
            ...notJson.headers,
            'x-chatwoot-signature': signChatwootPayload(
              SECRET,
              notJson.headers['x-chatwoot-timestamp'],
              '{not json',
            ),
          },
        })
      ).statusCode,
    ).toBe(400);
    expect(await outbox()).toHaveLength(0);
  });

  it('feeds the shipper: a webhook event ends up in ClickHouse and the conversation table', async () => {
    await db.pool.query('TRUNCATE analytics_outbox');
    await app.inject(
      signed(
        messageCreated({
          id: 8001,
          messageType: 'outgoing',
          senderType: 'user',
          // An inbox without the bot: the listener is the message's only producer.
          conversation: { id: 555, inboxId: 99, channel: 'Channel::WebWidget' },
        }),
      ),
    );
    const result = await app.analyticsShipper.shipOnce();
    expect(result.shipped).toBe(1);
    const rows = await (
      await ch.client.query({
        query:
          'SELECT messages_human FROM conversations_summary WHERE account_id = 1 AND conversation_id = 555',
        format: 'JSONEachRow',
      })
    ).json<{ messages_human: number }>();
    expect(rows).toEqual([{ messages_human: 1 }]);
  });
});

function lines(body: string): Record<string, unknown>[] {
  return body
    .trim()
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
