import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signChatwootPayload } from '@switchboard/core';
import { startHarness, type Harness } from './harness.js';

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

/** A contract fixture re-pointed at the harness's account and inbox. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- contract fixtures are patched freely
function fixture(name: string, patch: (payload: Record<string, any>) => void = () => undefined): string {
  const payload = JSON.parse(readFileSync(`${FIXTURES}/${name}`, 'utf8'));
  payload.account.id = h.accountId;
  const conversation = payload.conversation ?? payload;
  conversation.inbox_id = h.inboxId;
  conversation.account.id = h.accountId;
  if (payload.inbox) payload.inbox.id = h.inboxId;
  patch(payload);
  return JSON.stringify(payload);
}

async function post(
  body: string,
  headers: Record<string, string> = {},
  options: { sign?: boolean; ts?: number } = {},
) {
  const ts = String(options.ts ?? Math.floor(Date.now() / 1000));
  const signed: Record<string, string> =
    options.sign === false
      ? {}
      : {
          'x-chatwoot-timestamp': ts,
          'x-chatwoot-signature': signChatwootPayload(secret, ts, Buffer.from(body)),
        };
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signed, ...headers },
    body,
  });
}

const count = async (table: string) =>
  (await h.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;

describe('webhook intake', () => {
  it('refuses a bad signature with 401 and stores nothing', async () => {
    const body = fixture('derived_agent_bot_message_created_whatsapp_text.json', (p) => (p.id = 50_001));
    const ts = String(Math.floor(Date.now() / 1000));
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-chatwoot-timestamp': ts,
        'x-chatwoot-signature': signChatwootPayload('wrong', ts, Buffer.from(body)),
        'x-chatwoot-delivery': 'bad-1',
      },
      body,
    });
    expect(response.status).toBe(401);
    expect(await post(body, { 'x-chatwoot-delivery': 'bad-2' }, { sign: false }).then((r) => r.status)).toBe(
      401,
    );
    expect(
      await post(body, { 'x-chatwoot-delivery': 'bad-3' }, { ts: Math.floor(Date.now() / 1000) - 3600 }).then(
        (r) => r.status,
      ),
    ).toBe(401);
    expect(await count('engine_messages')).toBe(0);
    expect(await count('engine_webhook_deliveries')).toBe(0);
  });

  it('answers malformed JSON with 400, an unknown event with 200 (ignored), an oversized body with 413', async () => {
    expect((await post('{"event": "message_created", ')).status).toBe(400);
    const unknown = await post(
      JSON.stringify({ event: 'webwidget_triggered', account: { id: h.accountId } }),
    );
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toEqual({ status: 'ignored' });
    const huge = JSON.stringify({
      event: 'message_created',
      account: { id: h.accountId },
      pad: 'x'.repeat(h.config.chatwoot.maxWebhookBytes),
    });
    expect((await post(huge)).status).toBe(413);
    const otherAccount = await post(
      fixture('derived_agent_bot_message_created_whatsapp_text.json', (p) => (p.account.id = 999)),
    );
    expect(otherAccount.status).toBe(401);
    expect(await count('engine_messages')).toBe(0);
  });

  it('acknowledges within milliseconds and stores the message with its event once per delivery id', async () => {
    const body = fixture('derived_agent_bot_message_created_whatsapp_text.json', (p) => {
      p.id = 60_001;
      p.conversation.id = 901;
      p.conversation.status = 'open'; // not the bot's: stored, not answered
    });
    const started = performance.now();
    const first = await post(body, { 'x-chatwoot-delivery': 'd-1' });
    const elapsed = performance.now() - started;
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ status: 'stored' });
    expect(elapsed).toBeLessThan(2000); // generous: the point is "no model, no Chatwoot inline"
    expect(await (await post(body, { 'x-chatwoot-delivery': 'd-1' })).json()).toEqual({
      status: 'duplicate',
    });
    // The same message under another delivery id (inbox bot + assigned bot): one row, one event.
    await post(body, { 'x-chatwoot-delivery': 'd-2' });
    // One row; the lane (not the webhook) decides the bot does not answer an open conversation.
    await vi.waitFor(
      async () => {
        const rows = await h.query(`SELECT author, ignored FROM engine_messages WHERE message_id = 60001`);
        expect(rows).toEqual([{ author: 'customer', ignored: true }]);
      },
      { timeout: 5000, interval: 50 },
    );
    const events = await h.query(
      `SELECT 1 FROM analytics_outbox WHERE event_type = 'message' AND event->'payload'->>'messageId' = '60001'`,
    );
    expect(events).toHaveLength(1);
  });

  it('keeps a consistent state when message_updated arrives before message_created', async () => {
    const failed = fixture('derived_agent_bot_message_updated_failed_outside_window.json', (p) => {
      p.id = 70_001;
      p.conversation.id = 902;
      p.sender.id = h.botId;
    });
    const created = fixture('derived_agent_bot_message_updated_failed_outside_window.json', (p) => {
      p.id = 70_001;
      p.conversation.id = 902;
      p.sender.id = h.botId;
      p.event = 'message_created';
      p.content_attributes = {};
    });
    expect((await post(failed, { 'x-chatwoot-delivery': 'u-1' })).status).toBe(200);
    expect((await post(created, { 'x-chatwoot-delivery': 'c-1' })).status).toBe(200);
    const rows = await h.query(`SELECT author, external_error FROM engine_messages WHERE message_id = 70001`);
    expect(rows).toEqual([{ author: 'ai', external_error: 'Template not found or invalid template name' }]);
    // An older conversation snapshot never overwrites a newer status.
    const newer = fixture('derived_agent_bot_conversation_status_changed.json', (p) => {
      p.id = 902;
      p.status = 'open';
      p.updated_at = 2_000_000_000.5;
    });
    const older = fixture('derived_agent_bot_conversation_status_changed.json', (p) => {
      p.id = 902;
      p.status = 'pending';
      p.updated_at = 1_900_000_000.5;
    });
    await post(newer, { 'x-chatwoot-delivery': 's-2' });
    await post(older, { 'x-chatwoot-delivery': 's-1' });
    const [conversation] = await h.query(
      `SELECT status FROM engine_conversations WHERE conversation_id = 902`,
    );
    expect(conversation).toEqual({ status: 'open' });
  });
});
