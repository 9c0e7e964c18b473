import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulatorFixture, type SimulatorFixture } from '../testing-setup.js';
import { BOT_ENDPOINT_FORBIDDEN } from './http-errors.js';
import { NOT_ALLOWED } from './admin-routes.js';

let f: SimulatorFixture;
let base: string;
beforeEach(async () => {
  f = await startSimulatorFixture();
  base = `/api/v1/accounts/${f.account.id}`;
});
afterEach(async () => {
  await f.close();
});

describe('administrator endpoints, as Chatwoot v4.15 answers them', () => {
  it('lists the inboxes to an administrator, none to an agent without memberships, and refuses bots', async () => {
    const admin = await f.api('GET', `${base}/inboxes`, f.admin.accessToken);
    expect(admin.status).toBe(200);
    expect((admin.body as { payload: { id: number; channel_type: string }[] }).payload).toEqual([
      expect.objectContaining({ id: f.inbox.id, channel_type: 'Channel::Whatsapp' }),
    ]);
    expect((await f.api('GET', `${base}/inboxes`, f.agent.accessToken)).body).toEqual({ payload: [] });
    expect(await f.api('GET', `${base}/inboxes`, f.bot.accessToken)).toEqual({
      status: 401,
      body: { error: BOT_ENDPOINT_FORBIDDEN },
    });
  });

  it('creates an agent bot from top-level params (administrators only) and shows its token and secret', async () => {
    const refused = await f.api('POST', `${base}/agent_bots`, f.agent.accessToken, { name: 'x' });
    expect(refused).toEqual({ status: 401, body: { error: NOT_ALLOWED } });
    const created = await f.api('POST', `${base}/agent_bots`, f.admin.accessToken, {
      name: 'Switchboard',
      outgoing_url: 'http://agent-bot:3100/webhooks/chatwoot',
    });
    expect(created.status).toBe(200);
    const bot = created.body as Record<string, unknown>;
    expect(bot).toMatchObject({
      name: 'Switchboard',
      outgoing_url: 'http://agent-bot:3100/webhooks/chatwoot',
      bot_type: 'webhook',
      account_id: f.account.id,
      system_bot: false,
    });
    expect(bot.access_token).toMatch(/^\w{24}$/);
    expect(bot.secret).toMatch(/^\w{24}$/);
    // The secret is for administrators only (_agent_bot.json.jbuilder).
    const asAgent = (await f.api('GET', `${base}/agent_bots`, f.agent.accessToken)).body as Record<
      string,
      unknown
    >[];
    expect(asAgent.find((row) => row.id === bot.id)).not.toHaveProperty('secret');
  });

  it("shows an inbox's bot, and an empty object once it is detached", async () => {
    const connected = await f.api('GET', `${base}/inboxes/${f.inbox.id}/agent_bot`, f.admin.accessToken);
    expect(connected.body).toMatchObject({ agent_bot: { id: f.bot.id } });
    await f.api('POST', `${base}/inboxes/${f.inbox.id}/set_agent_bot`, f.admin.accessToken, {});
    const detached = await f.api('GET', `${base}/inboxes/${f.inbox.id}/agent_bot`, f.admin.accessToken);
    expect(detached.body).toEqual({ agent_bot: {} });
  });

  it('creates account webhooks from a flat (wrapped) or nested body, with the validations of Webhook', async () => {
    const url = 'http://analytics:3200/webhooks/chatwoot/accounts/1';
    const flat = await f.api('POST', `${base}/webhooks`, f.admin.accessToken, {
      url,
      subscriptions: ['message_created'],
    });
    expect(flat.status).toBe(200);
    expect(flat.body).toMatchObject({
      payload: { webhook: { url, subscriptions: ['message_created'], secret: expect.any(String) } },
    });
    const duplicate = await f.api('POST', `${base}/webhooks`, f.admin.accessToken, {
      webhook: { url, subscriptions: ['message_created'] },
    });
    expect(duplicate).toEqual({
      status: 422,
      body: { message: 'Url has already been taken', attributes: ['url'] },
    });
    const invalid = await f.api('POST', `${base}/webhooks`, f.admin.accessToken, {
      webhook: { url: 'http://other.test/hook', subscriptions: ['conversation_resolved'] },
    });
    expect(invalid).toEqual({
      status: 422,
      body: { message: 'Subscriptions Invalid events', attributes: ['subscriptions'] },
    });
    const missing = await f.api('POST', `${base}/webhooks`, f.admin.accessToken, {});
    expect(missing).toEqual({
      status: 422,
      body: { error: 'param is missing or the value is empty: webhook' },
    });
  });

  it('creates and updates dashboard apps, refusing content that is not http(s) frames', async () => {
    const bad = await f.api('POST', `${base}/dashboard_apps`, f.agent.accessToken, {
      dashboard_app: { title: 'Panel', content: [{ type: 'frame', url: 'javascript:alert(1)' }] },
    });
    expect(bad).toEqual({
      status: 422,
      body: { message: 'Content : Invalid data', attributes: ['content'] },
    });
    const created = await f.api('POST', `${base}/dashboard_apps`, f.agent.accessToken, {
      dashboard_app: { title: 'Panel', content: [{ type: 'frame', url: 'https://panel.test/panel' }] },
    });
    expect(created.body).toMatchObject({ id: expect.any(Number), title: 'Panel' });
    const id = (created.body as { id: number }).id;
    await f.api('PATCH', `${base}/dashboard_apps/${id}`, f.agent.accessToken, {
      content: [{ type: 'frame', url: 'https://panel.test/panel?token=t' }],
    });
    const list = await f.api('GET', `${base}/dashboard_apps`, f.agent.accessToken);
    expect(list.body).toEqual([
      {
        id,
        title: 'Panel',
        content: [{ type: 'frame', url: 'https://panel.test/panel?token=t' }],
        created_at: '2026-06-20T14:00:00.000Z',
      },
    ]);
  });
});
