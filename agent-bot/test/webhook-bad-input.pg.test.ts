import Fastify from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signChatwootPayload } from '@switchboard/core';
import { registerWebhookRoute } from '../src/webhook/webhook-route.js';
import { botMessages, maria, startHarness, type Harness } from './harness.js';
import { FIXTURE, fixturePayload, postSigned, type Payload } from './signed-webhooks.js';

/**
 * Bad input from an authenticated Chatwoot (issue 17): every body that parses as JSON is
 * acknowledged 2xx (any other answer hands the conversation to a human), stored when usable,
 * recorded as rejected with its reason when not; 500 only when storage is down (the 5xx Chatwoot retries); nothing
 * internal in an answer, no phone number in a log line.
 */
let h: Harness;
let nextId = 80_000;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

/** A customer's text message in its own conversation (open: stored, not answered by the lane). */
function customerText(patch: (p: Payload) => void = () => undefined): { payload: Payload; id: number } {
  const id = ++nextId;
  const payload = fixturePayload(h, FIXTURE.text, (p) => {
    p.id = id;
    p.conversation.id = id;
    p.conversation.status = 'open';
    patch(p);
  });
  return { payload, id };
}

const message = async (id: number) =>
  (await h.query<Record<string, unknown>>(`SELECT * FROM engine_messages WHERE message_id = $1`, [id]))[0];
const conversation = async (id: number) =>
  (
    await h.query<Record<string, unknown>>(`SELECT * FROM engine_conversations WHERE conversation_id = $1`, [
      id,
    ])
  )[0];
const rejected = async (deliveryId: string) =>
  (
    await h.query<Record<string, unknown>>(
      `SELECT * FROM engine_rejected_deliveries WHERE delivery_id = $1`,
      [deliveryId],
    )
  )[0];

describe('text PostgreSQL refuses is made storable', () => {
  it('stores a message with NUL in its content, the contact name and an attribute key and value', async () => {
    const { payload, id } = customerText((p) => {
      p.content = 'Oi\u0000, tudo bem?';
      p.conversation.meta.sender.name = 'Ma\u0000ria';
      p.conversation.meta.sender.custom_attributes = { 'plan\u0000': 'gold\u0000' };
      p.content_attributes = { 'k\u0000ey': 'v\u0000' };
    });
    const answer = await postSigned(h, JSON.stringify(payload), { 'x-chatwoot-delivery': `nul-${id}` });
    expect(answer).toMatchObject({ status: 200, body: { status: 'stored' } });
    expect(await message(id)).toMatchObject({ content: 'Oi, tudo bem?', content_attributes: { key: 'v' } });
    expect((await conversation(id))!.contact).toMatchObject({ name: 'Maria', attributes: { plan: 'gold' } });
    const [event] = await h.query<{ text: string }>(
      `SELECT event->'payload'->>'text' AS text FROM analytics_outbox WHERE event->'payload'->>'messageId' = $1`,
      [String(id)],
    );
    expect(event).toEqual({ text: 'Oi, tudo bem?' });
  });

  it('stores a message with lone surrogates in content, name, attribute keys and attachments as U+FFFD', async () => {
    const { payload, id } = customerText((p) => {
      p.content = 'broken \ud83d emoji \ude00';
      p.conversation.meta.sender.name = 'Jo\udc00ão';
      p.content_attributes = { ['\ud800key']: ['\udbff'] };
    });
    const answer = await postSigned(h, JSON.stringify(payload), { 'x-chatwoot-delivery': `sur-${id}` });
    expect(answer).toMatchObject({ status: 200, body: { status: 'stored' } });
    expect(await message(id)).toMatchObject({
      content: 'broken \ufffd emoji \ufffd',
      content_attributes: { '\ufffdkey': ['\ufffd'] },
    });
    expect((await conversation(id))!.contact).toMatchObject({ name: 'Jo\ufffdão' });
  });

  it('answers a customer whose message has a NUL and a lone surrogate (through the simulator)', async () => {
    const sent = h.sim.customer.sendText(maria(h), 'Oi\u0000 \ud83d quero saber o horário');
    const displayId = sent.conversation.displayId;
    await h.sim.waitFor(() => botMessages(h, displayId).length === 1, { timeoutMs: 15_000 });
    expect(h.responder.calls.at(-1)!.transcript.at(-1)).toMatchObject({
      text: expect.stringContaining('Oi \ufffd quero saber o horário'),
    });
  });
});

describe('dates that are not real instants', () => {
  it.each([
    ['not-a-date', 'not-a-date'],
    ['an epoch number where ISO text belongs', 1e20],
    ['30 February', '2026-02-30T10:00:00.000Z'],
    ['hour 25', '2026-06-20T25:00:00.000Z'],
    ['year 0', '0000-01-01T00:00:00.000Z'],
    ['year 275760', '+275760-09-13T00:00:00.000Z'],
  ])(
    'stores a message whose created_at is %s, stamped with the time it arrived',
    async (_name, createdAt) => {
      const { payload, id } = customerText((p) => (p.created_at = createdAt));
      const before = h.bot!.engine.context.clock.now().getTime();
      const answer = await postSigned(h, JSON.stringify(payload), { 'x-chatwoot-delivery': `date-${id}` });
      expect(answer).toMatchObject({ status: 200, body: { status: 'stored' } });
      const stored = new Date((await message(id))!.created_at as string).getTime();
      expect(stored).toBeGreaterThanOrEqual(before - 1000);
      expect(stored).toBeLessThanOrEqual(h.bot!.engine.context.clock.now().getTime() + 1000);
    },
  );

  it('ignores an updated_at that is not a plausible epoch (it would otherwise win every later ordering)', async () => {
    const { payload, id } = customerText((p) => (p.conversation.updated_at = 1e20));
    expect((await postSigned(h, JSON.stringify(payload))).status).toBe(200);
    expect((await conversation(id))!.status_version).toBe(0);
  });
});

describe('payloads the bot cannot use are acknowledged and recorded', () => {
  it('records a body nested 10k levels deep as rejected, with its text, and stores nothing of it', async () => {
    const { payload, id } = customerText();
    const text = JSON.stringify(payload).replace(
      '"content_attributes":{}',
      `"content_attributes":{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
    );
    const answer = await postSigned(h, text, { 'x-chatwoot-delivery': `deep-${id}` });
    expect(answer).toMatchObject({ status: 200, body: { status: 'rejected' } });
    expect(await message(id)).toBeUndefined();
    const record = await rejected(`deep-${id}`);
    expect(record).toMatchObject({ account_id: String(h.accountId), reason: 'nested deeper than 64 levels' });
    expect(record!.raw_body).toBe(text);
  });

  it('accepts attachments: [null] (Chatwoot sends it for an attachment without file_type)', async () => {
    const id = ++nextId;
    const payload = fixturePayload(h, FIXTURE.voice, (p) => {
      p.id = id;
      p.conversation.id = id;
      p.conversation.status = 'open';
      p.attachments = [null, ...p.attachments, { id: 1, file_type: 7 }];
    });
    const answer = await postSigned(h, JSON.stringify(payload), { 'x-chatwoot-delivery': `null-att-${id}` });
    expect(answer).toMatchObject({ status: 200, body: { status: 'stored' } });
    const attachments = (await message(id))!.attachments as { file_type: string }[];
    expect(attachments.map((a) => a.file_type)).toEqual(['audio']);
  });

  it('stores a message whose optional fields drifted to other types', async () => {
    const { payload, id } = customerText((p) => {
      p.content_type = 5;
      p.content_attributes = 'none';
      p.source_id = 12;
      p.conversation.labels = 'vip';
      p.conversation.can_reply = 'yes';
      p.conversation.meta.sender.name = 42;
      p.conversation.meta.assignee = 'nobody';
      p.conversation.contact_inbox = [];
      p.inbox = null;
    });
    const answer = await postSigned(h, JSON.stringify(payload), { 'x-chatwoot-delivery': `drift-${id}` });
    expect(answer).toMatchObject({ status: 200, body: { status: 'stored' } });
    expect(await message(id)).toMatchObject({
      content_type: 'text',
      source_id: null,
      content_attributes: {},
    });
  });

  it.each([
    ['an unknown message_type', (p: Payload) => (p.message_type = 'reaction'), 'message_type'],
    ['an id that is text', (p: Payload) => (p.id = 'abc'), 'id'],
    ['no conversation', (p: Payload) => delete p.conversation, 'conversation'],
    ['no account', (p: Payload) => delete p.account, 'account'],
    ['a private flag that is text', (p: Payload) => (p.private = 'no'), 'private'],
  ])('records a message with %s as rejected, with the field in its reason', async (_name, patch, field) => {
    const { payload, id } = customerText(patch);
    const delivery = `essential-${id}`;
    const answer = await postSigned(h, JSON.stringify(payload), { 'x-chatwoot-delivery': delivery });
    expect(answer).toMatchObject({ status: 200, body: { status: 'rejected' } });
    const record = await rejected(delivery);
    expect(record).toMatchObject({
      event: 'message_created',
      reason: expect.stringMatching(new RegExp(`^${field}`)),
    });
    expect(record!.payload).toMatchObject({ event: 'message_created' });
    expect(await message(id)).toBeUndefined();
    const deliveries = await h.query(`SELECT 1 FROM engine_webhook_deliveries WHERE delivery_id = $1`, [
      delivery,
    ]);
    expect(deliveries).toHaveLength(0);
  });

  it('records a body that is JSON but not an event (an array, a string) as rejected', async () => {
    for (const [i, body] of ['[1,2]', '"hello"', '{"no":"event"}'].entries()) {
      const answer = await postSigned(h, body, { 'x-chatwoot-delivery': `not-event-${i}` });
      expect(answer).toMatchObject({ status: 200, body: { status: 'rejected' } });
      expect(await rejected(`not-event-${i}`)).toMatchObject({ reason: 'not an object with an event name' });
    }
  });

  it('records a delivery PostgreSQL refuses past every check as rejected (not a 500), with the SQLSTATE', async () => {
    // A constraint stands in for whatever value the checks above might one day let through.
    await h.query(
      `ALTER TABLE engine_messages ADD CONSTRAINT test_refuses CHECK (content <> 'refused by PostgreSQL')`,
    );
    try {
      const { payload, id } = customerText((p) => (p.content = 'refused by PostgreSQL'));
      const answer = await postSigned(h, JSON.stringify(payload), { 'x-chatwoot-delivery': `refused-${id}` });
      expect(answer).toMatchObject({ status: 200, body: { status: 'rejected' } });
      expect(answer.text).not.toContain('constraint');
      expect(await rejected(`refused-${id}`)).toMatchObject({ reason: 'not storable (23514)' });
      expect(await message(id)).toBeUndefined();
      expect(await conversation(id)).toBeUndefined(); // one statement: nothing of it half-stored
    } finally {
      await h.query(`ALTER TABLE engine_messages DROP CONSTRAINT test_refuses`);
    }
  });

  it('records a retried rejected delivery once', async () => {
    const { payload } = customerText((p) => (p.message_type = 'reaction'));
    const body = JSON.stringify(payload);
    await postSigned(h, body, { 'x-chatwoot-delivery': 'retried-rejected' });
    await postSigned(h, body, { 'x-chatwoot-delivery': 'retried-rejected' });
    const rows = await h.query(
      `SELECT 1 FROM engine_rejected_deliveries WHERE delivery_id = 'retried-rejected'`,
    );
    expect(rows).toHaveLength(1);
  });
});

describe('what is logged and answered', () => {
  it('logs every non-2xx and every rejection with its reason and delivery id, never the phone number', async () => {
    const logger = h.bot!.engine.context.logger;
    const warn = vi.spyOn(logger, 'warn');
    try {
      const phone = '+5511987654321';
      const rejectedBody = JSON.stringify(customerText((p) => (p.message_type = 'reaction')).payload);
      expect(rejectedBody).toContain(phone);
      await postSigned(h, rejectedBody, { 'x-chatwoot-delivery': 'log-rejected' });
      await postSigned(h, '{"event": ', { 'x-chatwoot-delivery': 'log-400' });
      await postSigned(h, rejectedBody, { 'x-chatwoot-delivery': 'log-401' }, { sign: false });
      const huge = JSON.stringify({
        event: 'message_created',
        pad: 'x'.repeat(h.config.chatwoot.maxWebhookBytes),
      });
      expect((await postSigned(h, huge, { 'x-chatwoot-delivery': 'log-413' })).status).toBe(413);
      const lines = warn.mock.calls.map((call) => call[0] as Record<string, unknown>);
      for (const delivery of ['log-rejected', 'log-400', 'log-401', 'log-413']) {
        expect(lines).toContainEqual(expect.objectContaining({ delivery, reason: expect.any(String) }));
      }
      expect(JSON.stringify(warn.mock.calls)).not.toContain('987654321');
    } finally {
      warn.mockRestore();
    }
  });

  it('answers 500 (which Chatwoot retries, 503 it does not) with a short message when storage is down, and logs it with the delivery id', async () => {
    const deadPool = new pg.Pool({
      connectionString: 'postgres://nobody@127.0.0.1:1/none',
      connectionTimeoutMillis: 500,
    });
    const context = h.bot!.engine.context;
    const lines: unknown[] = [];
    // The engine's logger with warn and error captured (pino's methods live on its prototype).
    const logger = Object.assign(Object.create(context.logger) as typeof context.logger, {
      warn: (o: unknown) => lines.push(o),
      error: (o: unknown) => lines.push(o),
    });
    const app = Fastify();
    registerWebhookRoute(app, { ...context, db: { ...context.db, pool: deadPool }, logger });
    await app.ready();
    try {
      const secret = h.config.chatwoot.accounts[0]!.bot.webhookSecret!;
      const send = async (body: string, delivery: string) => {
        const ts = String(Math.floor(Date.now() / 1000));
        return app.inject({
          method: 'POST',
          url: '/webhooks/chatwoot',
          headers: {
            'content-type': 'application/json',
            'x-chatwoot-timestamp': ts,
            'x-chatwoot-signature': signChatwootPayload(secret, ts, Buffer.from(body)),
            'x-chatwoot-delivery': delivery,
          },
          payload: body,
        });
      };
      const usable = await send(JSON.stringify(customerText().payload), 'down-stored');
      const unusable = await send(JSON.stringify(customerText((p) => (p.id = 'x')).payload), 'down-rejected');
      for (const answer of [usable, unusable]) {
        expect(answer.statusCode).toBe(500);
        expect(answer.json()).toEqual({ error: 'storage unavailable' });
      }
      expect(lines).toContainEqual(
        expect.objectContaining({ delivery: 'down-stored', code: expect.any(String) }),
      );
      expect(lines).toContainEqual(expect.objectContaining({ delivery: 'down-rejected' }));
    } finally {
      await app.close();
      await deadPool.end();
    }
  });
});
