import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulatorFixture, type SimulatorFixture } from './testing-setup.js';
import type { InboxRecord } from './state/records.js';

let fx: SimulatorFixture;
let web: InboxRecord;

beforeEach(async () => {
  fx = await startSimulatorFixture();
  web = fx.sim.seed.inbox({ accountId: fx.account.id, name: 'Website', channel: 'web' });
  fx.sim.seed.connectAgentBot(web.id, fx.bot.id);
});
afterEach(async () => {
  await fx.close();
});

const payloadsOf = (event: string) =>
  fx.receiver.received.map((webhook) => webhook.payload).filter((payload) => payload.event === event);

describe('website widget inbox (Channel::WebWidget)', () => {
  it('sends webwidget_triggered as ContactInbox#webhook_data with event_info, to the inbox bot', async () => {
    const visitor = {
      inboxId: web.id,
      visitorId: fx.sim.widget.newVisitorId(),
      referer: 'https://shop.example/',
    };
    const contactInbox = fx.sim.widget.open(visitor);
    await fx.sim.waitForIdle();
    const [triggered] = payloadsOf('webwidget_triggered');
    expect(Object.keys(triggered!).sort()).toEqual(
      [
        'account',
        'contact',
        'current_conversation',
        'event',
        'event_info',
        'id',
        'inbox',
        'source_id',
      ].sort(),
    );
    expect(triggered).toMatchObject({
      id: contactInbox.id,
      source_id: visitor.visitorId,
      inbox: { id: web.id, name: 'Website' },
      account: { id: fx.account.id, name: 'Acme' },
      current_conversation: null,
      event_info: { referer: 'https://shop.example/', browser_language: 'en' },
    });
    expect(visitor.visitorId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    // An anonymous visitor: a haiku name, no phone, no e-mail; the contact has no `type` here.
    const contact = triggered!.contact as Record<string, unknown>;
    expect(contact).toMatchObject({ phone_number: null, email: null });
    expect(contact.name).toMatch(/^[a-z]+-[a-z]+-\d{1,3}$/);
    expect(contact).not.toHaveProperty('type');
  });

  it('delivers visitor messages with the web channel shape: no source_id, can_reply, browser attributes', async () => {
    const visitor = {
      inboxId: web.id,
      visitorId: fx.sim.widget.newVisitorId(),
      email: 'Jo@Example.com',
      name: 'Jo',
    };
    const first = fx.sim.widget.sendText(visitor, 'Do you sell e-bike batteries?');
    expect(first.conversation.status).toBe('pending');
    // A day later the widget still accepts a reply: no 24-hour window on websites.
    fx.sim.clock.advance(3 * 24 * 60 * 60 * 1000);
    await fx.sim.waitForIdle();
    const [created] = payloadsOf('message_created');
    expect(created).toMatchObject({
      message_type: 'incoming',
      content: 'Do you sell e-bike batteries?',
      source_id: null,
      sender: { email: 'jo@example.com', name: 'Jo', phone_number: null },
      conversation: {
        channel: 'Channel::WebWidget',
        can_reply: true,
        contact_inbox: { source_id: visitor.visitorId },
        additional_attributes: { browser_language: 'en', referer: 'https://www.example.com/' },
        meta: { sender: { type: 'contact', email: 'jo@example.com' } },
      },
    });
    const conversation = fx.sim.conversation(first.conversation);
    const body = await fx.api(
      'GET',
      `/api/v1/accounts/${fx.account.id}/conversations/${conversation.displayId}`,
      fx.bot.accessToken,
    );
    expect(body.body).toMatchObject({ can_reply: true });
    // The bot's reply is not sent to any phone: the widget reads it from Chatwoot.
    await fx.api(
      'POST',
      `/api/v1/accounts/${fx.account.id}/conversations/${conversation.displayId}/messages`,
      fx.bot.accessToken,
      { content: 'Yes, **Bosch** batteries.' },
    );
    await fx.sim.waitForIdle();
    expect(fx.sim.recorder.channelSends).toEqual([]);
    expect(fx.sim.messages(conversation).at(-1)).toMatchObject({
      content: 'Yes, **Bosch** batteries.',
      status: 'sent',
    });
  });

  it('the same e-mail on a new browser is the same contact; a click on an option updates the bot message', async () => {
    const laptop = { inboxId: web.id, visitorId: fx.sim.widget.newVisitorId(), email: 'sam@example.com' };
    const first = fx.sim.widget.sendText(laptop, 'Hello');
    const phone = { inboxId: web.id, visitorId: fx.sim.widget.newVisitorId(), email: 'sam@example.com' };
    const second = fx.sim.widget.sendText(phone, 'Hello again');
    expect(second.contact.id).toBe(first.contact.id);
    expect(second.conversation.id).not.toBe(first.conversation.id);

    const conversation = fx.sim.conversation(first.conversation);
    const created = await fx.api(
      'POST',
      `/api/v1/accounts/${fx.account.id}/conversations/${conversation.displayId}/messages`,
      fx.bot.accessToken,
      {
        content: 'Which service?',
        content_type: 'input_select',
        content_attributes: {
          items: [
            { title: 'Puncture repair', value: 'puncture' },
            { title: 'Full service', value: 'service' },
          ],
        },
      },
    );
    const messageId = (created.body as { id: number }).id;
    fx.sim.widget.select(laptop, messageId, 'service');
    await fx.sim.waitForIdle();
    const updated = payloadsOf('message_updated').find((payload) => payload.id === messageId);
    expect(updated).toMatchObject({
      message_type: 'outgoing',
      content_type: 'input_select',
      content_attributes: { submitted_values: [{ title: 'Full service', value: 'service' }] },
      sender: { type: 'agent_bot', id: fx.bot.id },
    });
    // No message of the visitor is created by a click.
    expect(fx.sim.messages(conversation).filter((m) => m.messageType === 'incoming')).toHaveLength(1);
    // Another visitor cannot answer this conversation's select.
    expect(() => fx.sim.widget.select(phone, messageId, 'service')).toThrow(/not found/);
  });

  it('refuses widget calls on a WhatsApp inbox', () => {
    expect(() =>
      fx.sim.widget.sendText({ inboxId: fx.inbox.id, visitorId: fx.sim.widget.newVisitorId() }, 'hi'),
    ).toThrow(/not a website widget/);
  });
});
