import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signChatwootPayload } from '@switchboard/core';
import { startHarness, type Harness } from './harness.js';

/**
 * Deliveries that would change nothing stored are answered `unchanged` without a statement
 * (store/webhook-intake.ts): a conversation_updated of Chatwoot's timestamps only, and the echo
 * or status receipt of a bot message this process stored already. Everything else is stored.
 */
const FIXTURES = '/work/shared/chatwoot/fixtures';
let h: Harness;
let secret: string;
let url: string;

beforeAll(async () => {
  h = await startHarness();
  secret = h.config.chatwoot.accounts[0]!.bot.webhookSecret!;
  url = `${h.bot!.url}/webhooks/chatwoot`;
});
afterAll(async () => h?.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- contract fixtures are patched freely
type Payload = Record<string, any>;

function fixture(name: string, patch: (payload: Payload) => void): string {
  const payload = JSON.parse(readFileSync(`${FIXTURES}/${name}`, 'utf8')) as Payload;
  payload.account.id = h.accountId;
  const conversation = payload.conversation ?? payload;
  conversation.inbox_id = h.inboxId;
  conversation.account.id = h.accountId;
  if (payload.inbox) payload.inbox.id = h.inboxId;
  patch(payload);
  return JSON.stringify(payload);
}

async function post(body: string, delivery: string): Promise<{ status: number; outcome: string }> {
  const ts = String(Math.floor(Date.now() / 1000));
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-chatwoot-timestamp': ts,
      'x-chatwoot-signature': signChatwootPayload(secret, ts, Buffer.from(body)),
      'x-chatwoot-delivery': delivery,
    },
    body,
  });
  return { status: response.status, outcome: ((await response.json()) as { status: string }).status };
}

const delivered = async (delivery: string) =>
  (await h.query(`SELECT 1 FROM engine_webhook_deliveries WHERE delivery_id = $1`, [delivery])).length;

const change = (attribute: string, previous: unknown, current: unknown) => ({
  [attribute]: { previous_value: previous, current_value: current },
});

function conversationUpdated(conversationId: number, changed: unknown, status = 'pending'): string {
  return fixture('derived_agent_bot_conversation_status_changed.json', (p) => {
    p.id = conversationId;
    p.event = 'conversation_updated';
    p.status = status;
    p.updated_at = 1_900_000_000 + conversationId;
    p.changed_attributes = changed;
  });
}

function botMessage(
  messageId: number,
  conversationId: number,
  event: 'message_created' | 'message_updated',
  patch: (p: Payload) => void = () => undefined,
): string {
  return fixture('derived_agent_bot_message_updated_failed_outside_window.json', (p) => {
    p.id = messageId;
    p.event = event;
    p.conversation.id = conversationId;
    p.sender.id = h.botId;
    p.content = 'Olá! Como posso ajudar?';
    p.content_attributes = { switchboard_reply_key: `turn-${messageId}:0` };
    patch(p);
  });
}

describe('deliveries that change nothing', () => {
  it("answers a conversation_updated of Chatwoot's timestamps only without storing it", async () => {
    const timestamps = [
      change('waiting_since', null, 1_900_000_000),
      change('first_reply_created_at', null, 1_900_000_001),
    ];
    expect(await post(conversationUpdated(3001, timestamps), 'cu-1')).toEqual({
      status: 200,
      outcome: 'unchanged',
    });
    expect(await delivered('cu-1')).toBe(0);
    expect(await h.query(`SELECT 1 FROM engine_conversations WHERE conversation_id = 3001`)).toEqual([]);
  });

  it('stores a conversation_updated with a tracked attribute, with changed_attributes null, or a shape it does not know', async () => {
    const cases: [string, unknown][] = [
      ['status', [change('waiting_since', null, 1), change('status', 'open', 'pending')]],
      ['assignee', [change('assignee_id', null, 7)]],
      ['null', null],
      ['empty', []],
      ['not an object', [{ waiting_since: 'yesterday' }]],
      ['sanitised key', [{ 'waiting\u0000since': { previous_value: null, current_value: 1 } }]],
    ];
    for (const [index, [name, changed]] of cases.entries()) {
      const conversationId = 3100 + index;
      const answer = await post(conversationUpdated(conversationId, changed), `cu-stored-${name}`);
      expect(answer, name).toEqual({ status: 200, outcome: 'stored' });
      expect(await delivered(`cu-stored-${name}`), name).toBe(1);
      const rows = await h.query(`SELECT status FROM engine_conversations WHERE conversation_id = $1`, [
        conversationId,
      ]);
      expect(rows, name).toEqual([{ status: 'pending' }]);
    }
  });

  it("skips the bot's own status receipt after its echo, but never an error, new content or new attributes", async () => {
    expect(await post(botMessage(80_001, 3201, 'message_created'), 'echo-1')).toEqual({
      status: 200,
      outcome: 'stored',
    });
    // Chatwoot's status receipts (sent, delivered, read) differ from the echo only in source_id.
    for (const [i, source] of ['wamid.A', 'wamid.A', 'wamid.A'].entries()) {
      const receipt = botMessage(80_001, 3201, 'message_updated', (p) => (p.source_id = source));
      expect(await post(receipt, `receipt-${i}`)).toEqual({ status: 200, outcome: 'unchanged' });
      expect(await delivered(`receipt-${i}`)).toBe(0);
    }
    const edited = botMessage(80_001, 3201, 'message_updated', (p) => (p.content = 'Olá de novo'));
    expect(await post(edited, 'edited')).toEqual({ status: 200, outcome: 'stored' });
    const attributes = botMessage(
      80_001,
      3201,
      'message_updated',
      (p) => (p.content_attributes.in_reply_to = 5),
    );
    expect(await post(attributes, 'attributes')).toEqual({ status: 200, outcome: 'stored' });
    const failed = botMessage(80_001, 3201, 'message_updated', (p) => {
      p.content = 'Olá de novo';
      p.content_attributes.external_error = 'Message failed to send';
    });
    expect(await post(failed, 'failed')).toEqual({ status: 200, outcome: 'stored' });
    const [row] = await h.query(
      `SELECT content, content_attributes, external_error FROM engine_messages WHERE message_id = 80001`,
    );
    expect(row).toEqual({
      content: 'Olá de novo',
      content_attributes: {
        switchboard_reply_key: 'turn-80001:0',
        in_reply_to: 5,
        external_error: 'Message failed to send',
      },
      external_error: 'Message failed to send',
    });
    const messageEvents = await h.query(
      `SELECT 1 FROM analytics_outbox WHERE event_type = 'message' AND (event->'payload'->>'messageId')::bigint = 80001`,
    );
    expect(messageEvents).toHaveLength(1); // inserted with the echo, not again
  });

  it('stores a status receipt arriving with or before its echo once, and the echo after it changes nothing', async () => {
    const echo = botMessage(80_002, 3202, 'message_created');
    const receipt = botMessage(80_002, 3202, 'message_updated', (p) => (p.source_id = 'wamid.B'));
    const answers = await Promise.all([post(receipt, 'together-receipt'), post(echo, 'together-echo')]);
    expect(answers.map((a) => a.outcome).sort()).toEqual(['stored', 'unchanged']);
    expect(await h.query(`SELECT content FROM engine_messages WHERE message_id = 80002`)).toEqual([
      { content: 'Olá! Como posso ajudar?' },
    ]);
    const events = await h.query(
      `SELECT 1 FROM analytics_outbox WHERE event_type = 'message' AND (event->'payload'->>'messageId')::bigint = 80002`,
    );
    expect(events).toHaveLength(1);
  });

  it("always stores a customer's message_updated, even one identical to what is stored", async () => {
    const customer = (event: 'message_created' | 'message_updated') =>
      fixture('derived_agent_bot_message_created_whatsapp_text.json', (p) => {
        p.id = 80_003;
        p.event = event;
        p.conversation.id = 3203;
      });
    expect(await post(customer('message_created'), 'customer-created')).toMatchObject({ outcome: 'stored' });
    expect(await post(customer('message_updated'), 'customer-updated')).toMatchObject({ outcome: 'stored' });
    expect(await delivered('customer-updated')).toBe(1);
  });
});
