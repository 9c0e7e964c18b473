import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChatwootSimulator, type ChatwootSimulator } from './simulator.js';
import { createWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';
import { signWebhook } from './webhooks/sign-webhook.js';
import type { AccountRecord, AgentBotRecord, InboxRecord, UserRecord } from './state/records.js';

let sim: ChatwootSimulator;
let receiver: WebhookReceiver;
let account: AccountRecord;
let inbox: InboxRecord;
let bot: AgentBotRecord;
let agent: UserRecord;
const customer = (): { inboxId: number; phone: string; name: string } => ({
  inboxId: inbox.id,
  phone: '+5511987654321',
  name: 'Maria Silva',
});

async function api(method: string, path: string, token: string | null, body?: unknown) {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: {
      ...(token ? { api_access_token: token } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text === '' ? null : (JSON.parse(text) as Record<string, unknown>),
  };
}

beforeEach(async () => {
  sim = await createChatwootSimulator({
    clock: { frozenAt: Date.parse('2026-06-20T14:03:11.000Z') },
    behaviour: { webhookRetryDelayMs: 5 },
  });
  receiver = await createWebhookReceiver({ secret: 'bot-secret' });
  account = sim.seed.account({ name: 'Acme' });
  inbox = sim.seed.inbox({ accountId: account.id, name: 'WhatsApp Sales' });
  bot = sim.seed.agentBot({
    accountId: account.id,
    name: 'Aurora Bot',
    outgoingUrl: receiver.url,
    secret: 'bot-secret',
  });
  sim.seed.connectAgentBot(inbox.id, bot.id);
  agent = sim.seed.user({ accountId: account.id, name: 'Ana' });
});

afterEach(async () => {
  await sim.close();
  await receiver.close();
});

describe('customer text → signed agent-bot webhook', () => {
  it('starts the conversation pending (inbox has an active bot) and delivers message_created signed', async () => {
    const { conversation, message } = sim.customer.sendText(customer(), 'Oi! Quanto custa o plano anual?');
    expect(conversation.status).toBe('pending');
    expect(conversation.displayId).toBe(1);
    const record = await sim.waitForWebhook({ event: 'message_created' });
    expect(record.outcome).toBe('delivered');
    expect(receiver.received).toHaveLength(1);
    const delivered = receiver.received[0]!;
    expect(delivered.signatureValid).toBe(true);
    const timestamp = delivered.headers['x-chatwoot-timestamp'] as string;
    expect(delivered.headers['x-chatwoot-signature']).toBe(
      signWebhook('bot-secret', timestamp, delivered.body),
    );
    expect(delivered.headers['x-chatwoot-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    expect(delivered.payload).toMatchObject({
      event: 'message_created',
      id: message.id,
      message_type: 'incoming',
      content: 'Oi! Quanto custa o plano anual?',
      created_at: '2026-06-20T14:03:11.000Z',
      conversation: { id: 1, status: 'pending', can_reply: true, channel: 'Channel::Whatsapp' },
      sender: { name: 'Maria Silva', phone_number: '+5511987654321' },
    });
    expect(delivered.payload).not.toHaveProperty('status');
    expect(delivered.payload.sender).not.toHaveProperty('type');
    const nested = (delivered.payload.conversation as { messages: Record<string, unknown>[] }).messages;
    expect(nested).toHaveLength(1);
    expect(nested[0]).toMatchObject({
      message_type: 0,
      created_at: 1781964191,
      status: 'sent',
      conversation_id: 1,
    });
  });

  it('gives display ids per account', async () => {
    const other = sim.seed.account({ name: 'Other' });
    const otherInbox = sim.seed.inbox({ accountId: other.id });
    sim.customer.sendText(customer(), 'one');
    sim.customer.sendText({ inboxId: inbox.id, phone: '+5511900000002' }, 'two');
    const third = sim.customer.sendText({ inboxId: otherInbox.id, phone: '+5511900000003' }, 'three');
    expect(third.conversation.displayId).toBe(1);
    expect(third.conversation.status).toBe('open');
    expect(sim.conversation({ accountId: account.id, displayId: 2 }).contactId).not.toBe(third.contact.id);
  });

  it('sends no signature headers when signing is off (Chatwoot before 4.13)', async () => {
    await sim.close();
    sim = await createChatwootSimulator({ behaviour: { signWebhooks: false } });
    const a = sim.seed.account();
    inbox = sim.seed.inbox({ accountId: a.id });
    const b = sim.seed.agentBot({ accountId: a.id, outgoingUrl: receiver.url });
    sim.seed.connectAgentBot(inbox.id, b.id);
    sim.customer.sendText(customer(), 'hi');
    await sim.waitForWebhook({ event: 'message_created' });
    const headers = receiver.received[0]!.headers;
    expect(headers['x-chatwoot-signature']).toBeUndefined();
    expect(headers['x-chatwoot-timestamp']).toBeUndefined();
    expect(headers['x-chatwoot-delivery']).toBeUndefined();
  });
});

describe('bot API', () => {
  it('creates a message with the bot token; the bot receives its own message', async () => {
    sim.customer.sendText(customer(), 'Oi');
    const response = await api(
      'POST',
      `/api/v1/accounts/${account.id}/conversations/1/messages`,
      bot.accessToken,
      {
        content: 'Olá! Como posso ajudar?',
      },
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      content: 'Olá! Como posso ajudar?',
      message_type: 1,
      status: 'sent',
      sender_type: 'AgentBot',
      sender_id: bot.id,
    });
    const own = await sim.waitForWebhook({
      event: 'message_created',
      where: (r) => r.payload.message_type === 'outgoing',
    });
    expect(own.payload.sender).toEqual({ id: bot.id, name: 'Aurora Bot', type: 'agent_bot' });
    await sim.waitForIdle();
    expect(sim.customer.received('+5511987654321')).toMatchObject([
      { type: 'text', body: { text: { body: 'Olá! Como posso ajudar?' } } },
    ]);
    // The send sets source_id, which is a message_updated.
    const updated = sim.webhooks({ event: 'message_updated' });
    expect(updated.length).toBe(1);
    expect(String(updated[0]!.payload.source_id)).toMatch(/^wamid\./);
  });

  it('reports internal events to onEvent subscribers until they unsubscribe', async () => {
    const seen: string[] = [];
    const unsubscribe = sim.onEvent((event) => seen.push(event.name));
    sim.customer.sendText(customer(), 'Oi');
    expect(seen).toEqual(expect.arrayContaining(['conversation_created', 'message_created']));
    const created = await api(
      'POST',
      `/api/v1/accounts/${account.id}/conversations/1/messages`,
      bot.accessToken,
      { content: 'Olá!' },
    );
    expect(created.status).toBe(200);
    expect(seen.filter((name) => name === 'message_created')).toHaveLength(2);
    unsubscribe();
    const before = seen.length;
    sim.customer.sendText(customer(), 'Ainda aí?');
    expect(seen).toHaveLength(before);
  });

  it('answers 401 with Chatwoot messages for bad tokens and bot-forbidden endpoints', async () => {
    sim.customer.sendText(customer(), 'Oi');
    const base = `/api/v1/accounts/${account.id}`;
    expect(await api('GET', `${base}/conversations/1`, null)).toEqual({
      status: 401,
      body: { error: 'Invalid Access Token' },
    });
    expect(await api('GET', `${base}/conversations/1`, 'nope')).toEqual({
      status: 401,
      body: { error: 'Invalid Access Token' },
    });
    const forbidden = { status: 401, body: { error: 'Access to this endpoint is not authorized for bots' } };
    expect(await api('GET', `${base}/conversations/1/messages`, bot.accessToken)).toEqual(forbidden);
    expect(await api('GET', `${base}/contacts/1`, bot.accessToken)).toEqual(forbidden);
    expect(await api('PUT', `${base}/contacts/1`, bot.accessToken, { name: 'x' })).toEqual(forbidden);
    expect(await api('GET', `${base}/inboxes/${inbox.id}`, bot.accessToken)).toEqual(forbidden);
    // ...while the user token may.
    expect((await api('GET', `${base}/conversations/1/messages`, agent.accessToken)).status).toBe(200);
    // A bot from another account with no inbox there.
    const other = sim.seed.account();
    const stranger = sim.seed.agentBot({ accountId: other.id, outgoingUrl: receiver.url });
    expect(await api('GET', `${base}/conversations/1`, stranger.accessToken)).toEqual({
      status: 401,
      body: { error: 'Bot is not authorized to access this account' },
    });
  });

  it('toggle_status pending→open by a bot is a handoff (success null) with conversation events', async () => {
    const { conversation } = sim.customer.sendText(customer(), 'quero falar com humano');
    await sim.waitForIdle();
    const response = await api(
      'POST',
      `/api/v1/accounts/${account.id}/conversations/1/toggle_status`,
      bot.accessToken,
      { status: 'open' },
    );
    expect(response).toEqual({
      status: 200,
      body: {
        meta: {},
        payload: { success: null, conversation_id: 1, current_status: 'open', snoozed_until: null },
      },
    });
    expect(conversation.status).toBe('open');
    expect(conversation.reportingEvents.map((event) => event.name)).toContain('conversation_bot_handoff');
    await sim.waitForIdle();
    const events = receiver.received.map((webhook) => webhook.payload.event);
    expect(events).toEqual(
      expect.arrayContaining(['conversation_opened', 'conversation_status_changed', 'conversation_updated']),
    );
    const statusChanged = receiver.received.find(
      (webhook) => webhook.payload.event === 'conversation_status_changed',
    )!;
    expect(statusChanged.payload).toMatchObject({ id: 1, status: 'open', changed_attributes: null });
    const updated = receiver.received.find((webhook) => webhook.payload.event === 'conversation_updated')!;
    expect(updated.payload.changed_attributes).toEqual(
      expect.arrayContaining([{ status: { previous_value: 'pending', current_value: 'open' } }]),
    );
    // A user opening it is not a handoff.
    const second = sim.customer.sendText({ inboxId: inbox.id, phone: '+5511911112222' }, 'oi');
    await api('POST', `/api/v1/accounts/${account.id}/conversations/2/toggle_status`, agent.accessToken, {
      status: 'open',
    });
    expect(second.conversation.status).toBe('open');
    expect(second.conversation.reportingEvents.map((event) => event.name)).not.toContain(
      'conversation_bot_handoff',
    );
  });

  it('labels and conversation custom_attributes replace, they do not merge', async () => {
    const { conversation } = sim.customer.sendText(customer(), 'Oi');
    const base = `/api/v1/accounts/${account.id}/conversations/1`;
    await api('POST', `${base}/labels`, bot.accessToken, { labels: ['vip', 'billing'] });
    const second = await api('POST', `${base}/labels`, bot.accessToken, { labels: ['support'] });
    expect(second.body).toEqual({ payload: ['support'] });
    expect(await api('GET', `${base}/labels`, bot.accessToken)).toEqual({
      status: 200,
      body: { payload: ['support'] },
    });
    await api('POST', `${base}/custom_attributes`, bot.accessToken, {
      custom_attributes: { order_id: '1', plan: 'pro' },
    });
    const replaced = await api('POST', `${base}/custom_attributes`, bot.accessToken, {
      custom_attributes: { plan: 'basic' },
    });
    expect(replaced.body).toEqual({ custom_attributes: { plan: 'basic' } });
    expect(conversation.customAttributes).toEqual({ plan: 'basic' });
  });

  it('typing status is accepted and reaches no bot and no channel', async () => {
    sim.customer.sendText(customer(), 'Oi');
    await sim.waitForIdle();
    const before = receiver.received.length;
    const response = await api(
      'POST',
      `/api/v1/accounts/${account.id}/conversations/1/toggle_typing_status`,
      bot.accessToken,
      { typing_status: 'on' },
    );
    expect(response.status).toBe(200);
    await sim.waitForIdle();
    expect(receiver.received.length).toBe(before);
    expect(sim.recorder.channelSends).toHaveLength(0);
  });

  it('assigns to a user (clearing the bot) and unassigns on an unknown id', async () => {
    const { conversation } = sim.customer.sendText(customer(), 'Oi');
    const base = `/api/v1/accounts/${account.id}/conversations/1/assignments`;
    const assigned = await api('POST', base, bot.accessToken, { assignee_id: agent.id });
    expect(assigned.body).toMatchObject({ id: agent.id, name: 'Ana' });
    expect(conversation.assigneeId).toBe(agent.id);
    const unassigned = await api('POST', base, bot.accessToken, { assignee_id: 999 });
    expect(unassigned).toEqual({ status: 200, body: null });
    expect(conversation.assigneeId).toBeNull();
    await api('POST', base, agent.accessToken, { assignee_id: bot.id, assignee_type: 'AgentBot' });
    expect(conversation.assigneeAgentBotId).toBe(bot.id);
  });

  it('404s for unknown conversations and records every call', async () => {
    const response = await api('GET', `/api/v1/accounts/${account.id}/conversations/42`, bot.accessToken);
    expect(response).toEqual({ status: 404, body: { error: 'Resource could not be found' } });
    const call = sim.recorder.apiCalls.at(-1)!;
    expect(call).toMatchObject({ method: 'GET', statusCode: 404, caller: { type: 'agent_bot', id: bot.id } });
    expect(call.route).toBe('/api/v1/accounts/:accountId/conversations/:conversationId');
  });
});

describe('clock', () => {
  it('moves only when advanced', () => {
    const start = sim.clock.nowMs();
    sim.clock.advance(60_000);
    expect(sim.clock.nowMs() - start).toBe(60_000);
    expect(() => sim.clock.advance(-1)).toThrow(RangeError);
  });
});
