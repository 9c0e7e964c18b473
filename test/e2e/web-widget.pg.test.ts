import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, switchboardConfigSchema } from '@switchboard/core';
import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import {
  startAgentBot,
  type Responder,
  type RunningAgentBot,
  type TurnContext,
} from '@switchboard/agent-bot';
import { createChatwootSimulator, type ChatwootSimulator, type InboxRecord } from '@switchboard/simulator';

/**
 * A Chatwoot website inbox end to end: the simulator as Chatwoot (Channel::WebWidget payloads), the
 * whole agent-bot on a real database, and a scripted assistant that answers in Markdown and offers
 * choices. What a website visitor gets differs from WhatsApp: Markdown as written, every option
 * as a button, no 24-hour window and no template, and a click on an option is an answer.
 */
const OPTIONS = ['Puncture repair', 'Full service', 'Brake tune-up', 'Wheel truing', 'E-bike battery check'];

const GREETING = 'Hi! Ask us about **repairs** or book a service.';
let db: TestDatabase;
let sim: ChatwootSimulator;
let bot: RunningAgentBot;
let web: InboxRecord;
const seen: TurnContext[] = [];

/** Offers the services on a first question, confirms a picked one, else echoes in Markdown. */
const responder: Responder = {
  async respond(context) {
    seen.push(context);
    const text = context.pending.map((m) => m.text).join(' ');
    if (/service/i.test(text) && !OPTIONS.includes(text))
      return { messages: [{ kind: 'choices', text: 'Which **service** do you need?', options: OPTIONS }] };
    if (OPTIONS.includes(text))
      return {
        messages: [
          { kind: 'text', text: `Booked: **${text}**. See [our prices](https://riverside.example/prices).` },
        ],
      };
    return { messages: [{ kind: 'text', text: `## Noted\n\nYou said *${text}*.` }] };
  },
};

beforeAll(async () => {
  db = await createTestDatabase();
  sim = await createChatwootSimulator({ behaviour: { webhookRetryDelayMs: 50 } });
  const account = sim.seed.account({ name: 'Riverside Bikes' });
  web = sim.seed.inbox({ accountId: account.id, name: 'Website', channel: 'web' });
  const simBot = sim.seed.agentBot({ accountId: account.id, outgoingUrl: 'http://127.0.0.1:9/unset' });
  sim.seed.connectAgentBot(web.id, simBot.id);
  const agent = sim.seed.user({ accountId: account.id, name: 'Alex' });
  const config = switchboardConfigSchema.parse({
    logging: { level: 'warn', format: 'json' },
    chatwoot: {
      accounts: [
        {
          id: account.id,
          baseUrl: sim.url,
          bot: { id: simBot.id, accessToken: simBot.accessToken, webhookSecret: simBot.secret },
          userAccessToken: agent.accessToken,
          // rendersMarkdown false: for WhatsApp the bot would convert **bold** to *bold*; never for web.
          rendersMarkdown: false,
          inboxes: [{ id: web.id, assistant: 'riverside', channel: 'web', greeting: GREETING }],
        },
      ],
      requestTimeoutMs: 2000,
      maxRetries: 2,
    },
    assistants: {
      riverside: {
        name: 'Riverside',
        systemPrompt: 'Be helpful.',
        conversation: { burstQuietMs: 200, burstMaxWaitMs: 2000 },
      },
    },
  });
  bot = await startAgentBot({
    config,
    db,
    logger: createLogger({ level: 'warn', format: 'json', name: 'web-widget-test' }),
    responder,
    clock: sim.clock,
    tuning: {
      laneLeaseMs: 2000,
      sweepIntervalMs: 500,
      pollIntervalMs: 100,
      echoWaitMs: 300,
      newMessagePollMs: 100,
    },
  });
  sim.store.agentBots.get(simBot.id)!.outgoingUrl = `${bot.url}/webhooks/chatwoot`;
}, 120_000);

afterAll(async () => {
  await bot?.close();
  await sim?.close();
  await db?.drop();
});

const botMessages = (conversationId: number) =>
  sim.messages({ accountId: 1, displayId: conversationId }).filter((m) => m.senderType === 'AgentBot');

describe('a Chatwoot website inbox, end to end', () => {
  it('answers a visitor in Markdown with option buttons, takes a click as the answer, and has no window', async () => {
    const visitor = {
      inboxId: web.id,
      visitorId: sim.widget.newVisitorId(),
      email: 'jo@example.com',
      name: 'Jo',
    };
    // Opening the widget: Chatwoot posts webwidget_triggered; the bot greets the new visitor by
    // opening the conversation with the inbox's greeting.
    sim.widget.open(visitor);
    const triggered = await sim.waitForWebhook({ event: 'webwidget_triggered', kind: 'agent_bot' });
    expect(triggered.outcome).toBe('delivered');
    const greeted = await sim.waitFor(() => [...sim.store.conversations.values()][0], { timeoutMs: 20_000 });
    expect(greeted.status).toBe('pending');
    expect(botMessages(greeted.displayId).map((m) => m.content)).toEqual([GREETING]);
    // Opening it again (the visitor now has a conversation): no second greeting, no second conversation.
    sim.widget.open(visitor);
    await sim.waitFor(() => sim.webhooks({ event: 'webwidget_triggered' }).length === 2 || null);
    await sim.waitForIdle();

    const first = sim.widget.sendText(visitor, 'Can I book a service?');
    const displayId = first.conversation.displayId;
    // The visitor's first message lands in the greeting's conversation (the widget's last one).
    expect(displayId).toBe(greeted.displayId);
    const question = await sim.waitFor(() => botMessages(displayId)[1], { timeoutMs: 20_000 });
    expect(question).toMatchObject({
      content: 'Which **service** do you need?',
      contentType: 'input_select',
      contentAttributes: { items: OPTIONS.map((title) => ({ title, value: title })) },
    });
    expect(question.additionalAttributes).not.toHaveProperty('template_params');
    // The turn saw a website visitor: e-mail, no phone, channel web.
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ channel: 'web', customer: { email: 'jo@example.com', phone: null } });

    // A click in the widget: message_updated on the bot's message with submitted_values.
    sim.widget.select(visitor, question.id, 'Wheel truing');
    const booked = await sim.waitFor(() => botMessages(displayId)[2], { timeoutMs: 20_000 });
    expect(booked.content).toBe(
      'Booked: **Wheel truing**. See [our prices](https://riverside.example/prices).',
    );
    expect(seen.at(-1)!.pending.map((m) => m.text)).toEqual(['Wheel truing']);
    // Delivered again (Chatwoot retries on a timeout): no second answer.
    const update = sim
      .webhooks({ event: 'message_updated', kind: 'agent_bot' })
      .find(
        (w) =>
          w.payload.id === question.id &&
          (w.payload.content_attributes as Record<string, unknown>).submitted_values,
      );
    expect(update).toBeDefined();

    // Three days later there is still no window on a website: a free-form answer, no template.
    sim.clock.advance(3 * 24 * 60 * 60 * 1000);
    sim.widget.sendText(visitor, 'thanks a lot');
    const later = await sim.waitFor(() => botMessages(displayId)[3], { timeoutMs: 20_000 });
    expect(sim.store.conversations.size).toBe(1);
    expect(later.content).toBe('**Noted**\n\nYou said *thanks a lot*.');
    expect(later.additionalAttributes).not.toHaveProperty('template_params');
    expect(later.status).not.toBe('failed');
    expect(sim.recorder.channelSends).toEqual([]);

    // Analytics counts the conversation as channel web, with the contact and no phone.
    const outbox = () =>
      bot.engine.context.db.pool.query<{ channel: string; phone: string | null; type: string }>(
        `SELECT event->>'channel' AS channel, event->>'customerPhone' AS phone, event_type AS type FROM analytics_outbox`,
      );
    // The turn's own event commits just after its reply is posted.
    for (let i = 0; i < 50 && (await outbox()).rows.filter((row) => row.type === 'turn').length < 3; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const events = await outbox();
    expect(events.rows.length).toBeGreaterThan(5);
    expect(new Set(events.rows.map((row) => row.channel))).toEqual(new Set(['web']));
    expect(events.rows.every((row) => row.phone === null)).toBe(true);
    const turns = events.rows.filter((row) => row.type === 'turn');
    expect(turns).toHaveLength(3);
  }, 90_000);
});
