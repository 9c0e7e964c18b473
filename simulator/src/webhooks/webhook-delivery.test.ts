import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChatwootSimulator, type ChatwootSimulator } from '../simulator.js';
import { createWebhookReceiver, type WebhookReceiver } from '../webhook-receiver.js';
import { BOT_FAILURE_ACTIVITY } from '../services/conversation-status.js';
import type { AccountRecord, InboxRecord } from '../state/records.js';

let sim: ChatwootSimulator;
let receiver: WebhookReceiver;
let account: AccountRecord;
let inbox: InboxRecord;
let botId: number;
const maria = () => ({ inboxId: inbox.id, phone: '+5511987654321', name: 'Maria' });

async function start(
  behaviour: Parameters<typeof createChatwootSimulator>[0] = {},
  keepPending = false,
): Promise<void> {
  sim = await createChatwootSimulator({
    ...behaviour,
    behaviour: { webhookRetryDelayMs: 5, ...behaviour.behaviour },
  });
  account = sim.seed.account({ keepPendingOnBotFailure: keepPending });
  inbox = sim.seed.inbox({ accountId: account.id });
  const bot = sim.seed.agentBot({ accountId: account.id, outgoingUrl: receiver.url });
  botId = bot.id;
  sim.seed.connectAgentBot(inbox.id, bot.id);
}

beforeEach(async () => {
  receiver = await createWebhookReceiver();
});

afterEach(async () => {
  await sim.close();
  await receiver.close();
});

describe('retries', () => {
  it.each([429, 500])('retries a %i up to 3 attempts with the same delivery id', async (status) => {
    await start();
    receiver.respondWith(() => ({ status }));
    const { conversation } = sim.customer.sendText(maria(), 'Oi');
    const record = await sim.waitForWebhook({ event: 'message_created' });
    expect(record.outcome).toBe('failed');
    expect(record.attempts.map((attempt) => attempt.statusCode)).toEqual([status, status, status]);
    const deliveryIds = receiver.received.map((webhook) => webhook.headers['x-chatwoot-delivery']);
    expect(new Set(deliveryIds).size).toBe(1);
    await sim.waitForIdle();
    // The final failure of a message event opens the pending conversation, with the activity message.
    expect(conversation.status).toBe('open');
    expect(sim.messages(conversation).at(-1)).toMatchObject({
      messageType: 'activity',
      content: BOT_FAILURE_ACTIVITY,
    });
  });

  it('succeeds when a retry succeeds, and the conversation stays pending', async () => {
    await start();
    let calls = 0;
    receiver.respondWith(() => ({ status: ++calls === 1 ? 500 : 200 }));
    const { conversation } = sim.customer.sendText(maria(), 'Oi');
    const record = await sim.waitForWebhook({ event: 'message_created' });
    expect(record.outcome).toBe('delivered');
    expect(record.attempts.map((attempt) => attempt.statusCode)).toEqual([500, 200]);
    expect(conversation.status).toBe('pending');
  });

  it.each([400, 404, 502, 503])('does not retry a %i, and flips pending to open', async (status) => {
    await start();
    receiver.respondWith(() => ({ status }));
    const { conversation } = sim.customer.sendText(maria(), 'Oi');
    const record = await sim.waitForWebhook({ event: 'message_created' });
    expect(record.attempts).toHaveLength(1);
    expect(record.attempts[0]!.error).toMatch(new RegExp(`^${status} `));
    await sim.waitForIdle();
    expect(conversation.status).toBe('open');
    // ...and the bot hears about it like any other status change.
    expect(sim.webhooks({ event: 'conversation_opened' })).toHaveLength(1);
  });

  it('treats a timeout as a final failure (no retry)', async () => {
    await start({ behaviour: { webhookTimeoutMs: 50 } });
    receiver.respondWith(() => ({ status: 200, delayMs: 300 }));
    const { conversation } = sim.customer.sendText(maria(), 'Oi');
    const record = await sim.waitForWebhook({ event: 'message_created' });
    expect(record.outcome).toBe('failed');
    expect(record.attempts).toHaveLength(1);
    expect(record.attempts[0]!.error).toMatch(/timeout/);
    await sim.waitForIdle();
    expect(conversation.status).toBe('open');
  });

  it('keeps the conversation pending when the account says so', async () => {
    await start({}, true);
    receiver.respondWith(() => ({ status: 404 }));
    const { conversation } = sim.customer.sendText(maria(), 'Oi');
    await sim.waitForWebhook({ event: 'message_created' });
    await sim.waitForIdle();
    expect(conversation.status).toBe('pending');
  });

  it('never flips on a failed conversation event, nor when the conversation is already open', async () => {
    await start();
    const { conversation } = sim.customer.sendText(maria(), 'Oi');
    await sim.waitForIdle();
    receiver.respondWith(() => ({ status: 404 }));
    const agent = sim.seed.user({ accountId: account.id });
    sim.agent.toggleStatus(agent.id, conversation, 'snoozed');
    await sim.waitForIdle();
    expect(sim.webhooks({ event: 'conversation_status_changed', outcome: 'failed' })).toHaveLength(1);
    expect(conversation.status).toBe('snoozed');
  });

  it('refuses loopback bot URLs when the 4.14 SSRF filter is on', async () => {
    await start({ behaviour: { blockPrivateNetwork: true } });
    const { conversation } = sim.customer.sendText(maria(), 'Oi');
    const record = await sim.waitForWebhook({ event: 'message_created' });
    expect(record.attempts[0]).toMatchObject({ statusCode: null });
    expect(receiver.received).toHaveLength(0);
    await sim.waitForIdle();
    expect(conversation.status).toBe('open');
  });
});

describe('redirects', () => {
  it('follows a redirect from the bot URL, re-sending the signed POST', async () => {
    await start();
    receiver.respondWith((webhook) =>
      webhook.path.endsWith('/moved')
        ? { status: 200 }
        : { status: 307, location: '/chatwoot/webhook/moved' },
    );
    const { conversation } = sim.customer.sendText(maria(), 'Oi');
    const record = await sim.waitForWebhook({ event: 'message_created' });
    expect(record.outcome).toBe('delivered');
    expect(receiver.received.map((webhook) => webhook.path)).toEqual([
      '/chatwoot/webhook',
      '/chatwoot/webhook/moved',
    ]);
    expect(receiver.received[1]!.body).toBe(receiver.received[0]!.body);
    expect(conversation.status).toBe('pending');
  });

  it('gives up after too many redirects', async () => {
    await start();
    receiver.respondWith(() => ({ status: 302, location: '/chatwoot/webhook' }));
    sim.customer.sendText(maria(), 'Oi');
    const record = await sim.waitForWebhook({ event: 'message_created' });
    expect(record.outcome).toBe('failed');
    expect(record.attempts[0]!.error).toMatch(/too many redirects/);
  });
});

describe('ordering', () => {
  it('delivers asynchronously: nothing has arrived when the call returns', async () => {
    await start();
    sim.customer.sendText(maria(), 'Oi');
    expect(receiver.received).toHaveLength(0);
    expect(sim.recorder.webhooks[0]!.outcome).toBe('pending');
    await sim.waitForIdle();
    expect(receiver.received).toHaveLength(1);
  });

  it('shuffles queued deliveries when asked, reproducibly by seed', async () => {
    const orderFor = async (seed: number): Promise<string[]> => {
      await start({ behaviour: { shuffleWebhooks: true, shuffleSeed: seed, webhookConcurrency: 1 } });
      for (let index = 0; index < 12; index += 1) sim.customer.sendText(maria(), `m${index}`);
      await sim.waitForIdle();
      const order = receiver.received.map((webhook) => String(webhook.payload.content));
      receiver.received.length = 0;
      await sim.close();
      return order;
    };
    const first = await orderFor(7);
    const again = await orderFor(7);
    const other = await orderFor(8);
    expect(first).toHaveLength(12);
    expect(first).toEqual(again);
    expect(first).not.toEqual([...first].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))));
    expect(other).not.toEqual(first);
    await start();
  });

  it('sends one delivery per bot: the inbox bot and a conversation-assigned bot', async () => {
    await start();
    const second = await createWebhookReceiver();
    try {
      const other = sim.seed.agentBot({ accountId: account.id, outgoingUrl: second.url });
      const { conversation } = sim.customer.sendText(maria(), 'Oi');
      const agent = sim.seed.user({ accountId: account.id });
      sim.agent.assignBot(agent.id, conversation, other.id);
      await sim.waitForIdle();
      sim.customer.sendText(maria(), 'de novo');
      await sim.waitForIdle();
      const ids = (r: WebhookReceiver) =>
        r.received
          .filter((w) => w.payload.content === 'de novo')
          .map((w) => w.headers['x-chatwoot-delivery']);
      expect(ids(receiver)).toHaveLength(1);
      expect(ids(second)).toHaveLength(1);
      expect(ids(receiver)[0]).not.toBe(ids(second)[0]);
      expect(sim.webhooks({ targetId: botId, event: 'message_created' }).length).toBeGreaterThan(0);
    } finally {
      await second.close();
    }
  });
});

describe('account webhooks', () => {
  it('receive conversation_created and every other event, once, signed with their own secret', async () => {
    await start();
    const analytics = await createWebhookReceiver({ secret: 'analytics-secret' });
    try {
      const webhook = sim.seed.accountWebhook({
        accountId: account.id,
        url: analytics.url,
        secret: 'analytics-secret',
      });
      sim.customer.sendText(maria(), 'Oi');
      await sim.waitForIdle();
      const events = analytics.received.map((w) => w.payload.event);
      expect(events).toEqual(['contact_created', 'conversation_created', 'message_created']);
      expect(analytics.received.every((w) => w.signatureValid)).toBe(true);
      expect(sim.webhooks({ kind: 'account_webhook', targetId: webhook.id })).toHaveLength(3);
      // The bot never hears conversation_created.
      expect(sim.webhooks({ kind: 'agent_bot', event: 'conversation_created' })).toHaveLength(0);
      // Account webhooks are not retried.
      analytics.respondWith(() => ({ status: 500 }));
      sim.customer.sendText(maria(), 'de novo');
      await sim.waitForIdle();
      const failed = sim.webhooks({ kind: 'account_webhook', outcome: 'failed' });
      expect(failed).toHaveLength(1);
      expect(failed[0]!.attempts).toHaveLength(1);
    } finally {
      await analytics.close();
    }
  });

  it('hear typing events from the API, with the typer and the conversation', async () => {
    await start();
    const analytics = await createWebhookReceiver();
    try {
      sim.customer.sendText(maria(), 'Oi');
      sim.seed.accountWebhook({
        accountId: account.id,
        url: analytics.url,
        subscriptions: ['conversation_typing_on'],
      });
      const bot = sim.store.agentBots.get(botId)!;
      const response = await fetch(
        `${sim.url}/api/v1/accounts/${account.id}/conversations/1/toggle_typing_status`,
        {
          method: 'POST',
          headers: { api_access_token: bot.accessToken, 'content-type': 'application/json' },
          body: JSON.stringify({ typing_status: 'on' }),
        },
      );
      expect(response.status).toBe(200);
      await sim.waitForIdle();
      expect(analytics.received).toHaveLength(1);
      expect(analytics.received[0]!.payload).toMatchObject({
        event: 'conversation_typing_on',
        user: { id: botId, type: 'agent_bot' },
        conversation: { id: 1 },
        is_private: false,
      });
    } finally {
      await analytics.close();
    }
  });

  it('honour their subscriptions', async () => {
    await start();
    const analytics = await createWebhookReceiver();
    try {
      sim.seed.accountWebhook({
        accountId: account.id,
        url: analytics.url,
        subscriptions: ['conversation_created'],
      });
      sim.customer.sendText(maria(), 'Oi');
      await sim.waitForIdle();
      expect(analytics.received.map((w) => w.payload.event)).toEqual(['conversation_created']);
    } finally {
      await analytics.close();
    }
  });
});
