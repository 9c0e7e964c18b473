import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulatorFixture, type SimulatorFixture } from '../testing-setup.js';

let f: SimulatorFixture;
let base: string;
beforeEach(async () => {
  f = await startSimulatorFixture();
  base = `/api/v1/accounts/${f.account.id}`;
});
afterEach(async () => {
  await f.close();
});

describe('request validation, with Chatwoot status codes and shapes', () => {
  it('malformed JSON → 400 Bad Request', async () => {
    f.sim.customer.sendText(f.customer, 'Oi');
    const response = await f.api(
      'POST',
      `${base}/conversations/1/messages`,
      f.bot.accessToken,
      '{"content":',
    );
    expect(response).toEqual({ status: 400, body: { status: 400, error: 'Bad Request' } });
  });

  it('an invalid status or priority raises in Rails → 500', async () => {
    f.sim.customer.sendText(f.customer, 'Oi');
    const internal = { status: 500, body: { status: 500, error: 'Internal Server Error' } };
    expect(
      await f.api('POST', `${base}/conversations/1/toggle_status`, f.bot.accessToken, { status: 'closed' }),
    ).toEqual(internal);
    expect(
      await f.api('POST', `${base}/conversations/1/toggle_priority`, f.bot.accessToken, { priority: 'asap' }),
    ).toEqual(internal);
    expect(f.sim.conversation({ accountId: f.account.id, displayId: 1 }).status).toBe('pending');
  });

  it('wrong types → 422 with an error message', async () => {
    f.sim.customer.sendText(f.customer, 'Oi');
    const labels = await f.api('POST', `${base}/conversations/1/labels`, f.bot.accessToken, {
      labels: 'vip',
    });
    expect(labels.status).toBe(422);
    expect(labels.body).toEqual({ error: expect.any(String) });
    const message = await f.api('POST', `${base}/conversations/1/messages`, f.bot.accessToken, {
      content: 'x',
      private: 'maybe',
    });
    expect(message.status).toBe(422);
  });

  it('incoming messages only in API inboxes', async () => {
    f.sim.customer.sendText(f.customer, 'Oi');
    const response = await f.api('POST', `${base}/conversations/1/messages`, f.bot.accessToken, {
      content: 'x',
      message_type: 'incoming',
    });
    expect(response).toEqual({
      status: 422,
      body: { error: 'Incoming messages are only allowed in Api inboxes' },
    });
  });

  it('unknown paths → 404', async () => {
    expect((await f.api('GET', `${base}/nothing`, f.agent.accessToken)).status).toBe(404);
  });

  it('toggle_status without a status toggles open ↔ resolved; an agent opening takes the conversation', async () => {
    const { conversation } = f.sim.customer.sendText(f.customer, 'Oi');
    const first = await f.api('POST', `${base}/conversations/1/toggle_status`, f.agent.accessToken, {});
    expect(first.body).toMatchObject({ payload: { success: true, current_status: 'open' } });
    expect(conversation.assigneeId).toBe(f.agent.id);
    const second = await f.api('POST', `${base}/conversations/1/toggle_status`, f.agent.accessToken, {});
    expect(second.body).toMatchObject({ payload: { current_status: 'resolved' } });
    const snoozed = await f.api('POST', `${base}/conversations/1/toggle_status`, f.bot.accessToken, {
      status: 'snoozed',
      snoozed_until: 1782000000,
    });
    expect(snoozed.body).toMatchObject({
      payload: { current_status: 'snoozed', snoozed_until: '2026-06-21T00:00:00.000Z' },
    });
  });
});

describe('user-token endpoints', () => {
  it('message history pages like MessageFinder (latest 20, before, after)', async () => {
    for (let index = 1; index <= 25; index += 1) f.sim.customer.sendText(f.customer, `m${index}`);
    const latest = await f.api('GET', `${base}/conversations/1/messages`, f.agent.accessToken);
    const payload = (latest.body as { payload: { id: number; content: string; message_type: number }[] })
      .payload;
    expect(payload).toHaveLength(20);
    expect(payload[0]!.content).toBe('m6');
    expect(payload[0]!.message_type).toBe(0);
    const older = await f.api(
      'GET',
      `${base}/conversations/1/messages?before=${payload[0]!.id}`,
      f.agent.accessToken,
    );
    expect((older.body as { payload: { content: string }[] }).payload.map((m) => m.content)).toEqual([
      'm1',
      'm2',
      'm3',
      'm4',
      'm5',
    ]);
    const newer = await f.api(
      'GET',
      `${base}/conversations/1/messages?after=${payload[18]!.id}`,
      f.agent.accessToken,
    );
    expect((newer.body as { payload: { content: string }[] }).payload.map((m) => m.content)).toEqual(['m25']);
    expect(latest.body).toMatchObject({
      meta: { labels: [], contact: { name: 'Maria Silva' }, assignee: null },
    });
  });

  it('contact update merges custom and additional attributes and tells account webhooks', async () => {
    const { contact } = f.sim.customer.sendText(f.customer, 'Oi');
    await f.api('PUT', `${base}/contacts/${contact.id}`, f.agent.accessToken, {
      custom_attributes: { plan: 'pro', city: 'SP' },
    });
    const response = await f.api('PATCH', `${base}/contacts/${contact.id}`, f.agent.accessToken, {
      custom_attributes: { plan: 'basic' },
      additional_attributes: { company: 'ACME' },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      payload: {
        custom_attributes: { plan: 'basic', city: 'SP' },
        additional_attributes: { company: 'ACME' },
      },
    });
    const bad = await f.api('PUT', `${base}/contacts/${contact.id}`, f.agent.accessToken, {
      phone_number: '11 9999',
    });
    expect(bad.status).toBe(422);
    expect((await f.api('GET', `${base}/contacts/999`, f.agent.accessToken)).status).toBe(404);
  });

  it('inbox JSON lists the WhatsApp templates; provider_config only for administrators', async () => {
    f.inbox.messageTemplates.push({
      name: 'hello',
      language: 'en',
      status: 'APPROVED',
      category: 'UTILITY',
      components: [],
    });
    const asAgent = await f.api('GET', `${base}/inboxes/${f.inbox.id}`, f.agent.accessToken);
    expect(asAgent.body).toMatchObject({
      channel_type: 'Channel::Whatsapp',
      provider: 'whatsapp_cloud',
      message_templates: [{ name: 'hello' }],
    });
    expect(asAgent.body).not.toHaveProperty('provider_config');
    const asAdmin = await f.api('GET', `${base}/inboxes/${f.inbox.id}`, f.admin.accessToken);
    expect(asAdmin.body).toHaveProperty('provider_config');
  });

  it('set_agent_bot detaches and attaches the inbox bot', async () => {
    await f.api('POST', `${base}/inboxes/${f.inbox.id}/set_agent_bot`, f.admin.accessToken, {
      agent_bot: null,
    });
    expect(f.sim.customer.sendText(f.customer, 'Oi').conversation.status).toBe('open');
    await f.api('POST', `${base}/inboxes/${f.inbox.id}/set_agent_bot`, f.admin.accessToken, {
      agent_bot: f.bot.id,
    });
    expect(
      f.sim.customer.sendText({ ...f.customer, phone: '+5511900000001' }, 'Oi').conversation.status,
    ).toBe('pending');
  });

  it('a user from another account gets 401', async () => {
    f.sim.customer.sendText(f.customer, 'Oi');
    const other = f.sim.seed.account();
    const outsider = f.sim.seed.user({ accountId: other.id });
    expect(await f.api('GET', `${base}/conversations/1/messages`, outsider.accessToken)).toEqual({
      status: 401,
      body: { error: 'You are not authorized to access this account' },
    });
  });
});

describe('bot endpoints beyond messages', () => {
  it('starts an outbound conversation with a template', async () => {
    const { contact } = f.sim.customer.sendText(f.customer, 'Oi');
    f.sim.agent.resolve(f.agent.id, { accountId: f.account.id, displayId: 1 });
    const response = await f.api('POST', `${base}/conversations`, f.bot.accessToken, {
      inbox_id: f.inbox.id,
      contact_id: contact.id,
      message: { content: 'Olá!', template_params: { name: 'any', language: 'en' } },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: 2, status: 'pending', inbox_id: f.inbox.id });
    await f.sim.waitForIdle();
    expect(f.sim.recorder.channelSends.at(-1)).toMatchObject({ type: 'template', outcome: 'sent' });
  });

  it('shows a conversation and updates its priority', async () => {
    f.sim.customer.sendText(f.customer, 'Oi');
    const shown = await f.api('GET', `${base}/conversations/1`, f.bot.accessToken);
    expect(shown.body).toMatchObject({
      id: 1,
      status: 'pending',
      can_reply: true,
      meta: { channel: 'Channel::Whatsapp' },
    });
    const patched = await f.api('PATCH', `${base}/conversations/1`, f.bot.accessToken, { priority: 'high' });
    expect(patched.body).toMatchObject({ priority: 'high' });
    await f.api('POST', `${base}/conversations/1/toggle_priority`, f.bot.accessToken, { priority: null });
    expect(f.sim.conversation({ accountId: f.account.id, displayId: 1 }).priority).toBeNull();
  });
});
