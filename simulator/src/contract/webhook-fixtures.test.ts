import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChatwootSimulator, type ChatwootSimulator } from '../simulator.js';
import { createWebhookReceiver, type WebhookReceiver } from '../webhook-receiver.js';
import type { AccountRecord, AgentBotRecord, InboxRecord } from '../state/records.js';
import { compareShape } from './compare-shape.js';
import { readFixture } from './fixtures.js';

/**
 * The simulator's webhook payloads against the hand-derived Chatwoot v4.15 examples, key by key:
 * same keys, same order, same JSON types at every level.
 */
let sim: ChatwootSimulator;
let receiver: WebhookReceiver;
let account: AccountRecord;
let inbox: InboxRecord;
let bot: AgentBotRecord;
const maria = (): { inboxId: number; phone: string; name: string } => ({
  inboxId: inbox.id,
  phone: '+5511987654321',
  name: 'Maria Silva',
});

beforeEach(async () => {
  sim = await createChatwootSimulator({ clock: { frozenAt: Date.parse('2026-06-20T14:03:11.512Z') } });
  receiver = await createWebhookReceiver();
  account = sim.seed.account({ name: 'Acme' });
  inbox = sim.seed.inbox({ accountId: account.id, name: 'WhatsApp Sales' });
  bot = sim.seed.agentBot({ accountId: account.id, name: 'Aurora Bot', outgoingUrl: receiver.url });
  sim.seed.connectAgentBot(inbox.id, bot.id);
});

afterEach(async () => {
  await sim.close();
  await receiver.close();
});

async function api(path: string, body: unknown): Promise<Response> {
  return fetch(`${sim.url}/api/v1/accounts/${account.id}${path}`, {
    method: 'POST',
    headers: { api_access_token: bot.accessToken, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('agent-bot webhook payloads match the fixtures key by key', () => {
  it('message_created for an incoming WhatsApp text', async () => {
    sim.customer.sendText(maria(), 'Oi! Quanto custa o plano anual?');
    const record = await sim.waitForWebhook({ event: 'message_created' });
    expect(
      compareShape(
        JSON.parse(record.body),
        readFixture('derived_agent_bot_message_created_whatsapp_text.json'),
      ),
    ).toEqual([]);
  });

  it('message_created for a voice note (content null, audio attachment)', async () => {
    sim.customer.sendVoiceNote(maria(), Buffer.from('OggS fake opus bytes'));
    const record = await sim.waitForWebhook({ event: 'message_created' });
    const payload = JSON.parse(record.body) as Record<string, unknown>;
    expect(
      compareShape(payload, readFixture('derived_agent_bot_message_created_whatsapp_voice_note.json')),
    ).toEqual([]);
    expect(payload.content).toBeNull();
    expect(payload.attachments).toMatchObject([
      { file_type: 'audio', content_type: 'audio/ogg', transcribed_text: '', thumb_url: '' },
    ]);
  });

  it('message_updated for a free-form reply outside the 24-hour window', async () => {
    sim.customer.sendText(maria(), 'Oi');
    await sim.waitForIdle();
    sim.clock.advance(25 * 60 * 60 * 1000);
    const response = await api('/conversations/1/messages', {
      content: 'Olá Maria, seguem os detalhes do plano.',
    });
    expect(response.status).toBe(200);
    const record = await sim.waitForWebhook({ event: 'message_updated' });
    const payload = JSON.parse(record.body) as Record<string, unknown>;
    expect(
      compareShape(payload, readFixture('derived_agent_bot_message_updated_failed_outside_window.json')),
    ).toEqual([]);
    expect(payload.content_attributes).toEqual({
      external_error: 'Template not found or invalid template name',
    });
  });

  it('conversation_status_changed after a bot handoff', async () => {
    sim.customer.sendText(maria(), 'Oi');
    await api('/conversations/1/messages', { content: 'Vou transferir você para um atendente.' });
    await sim.waitForIdle();
    await api('/conversations/1/toggle_status', { status: 'open' });
    const record = await sim.waitForWebhook({ event: 'conversation_status_changed' });
    const payload = JSON.parse(record.body) as Record<string, unknown>;
    expect(compareShape(payload, readFixture('derived_agent_bot_conversation_status_changed.json'))).toEqual(
      [],
    );
    expect(payload.changed_attributes).toBeNull();
  });

  it('the other conversation events share the conversation shape of the fixture', async () => {
    const fixture = readFixture('derived_agent_bot_conversation_status_changed.json');
    const { changed_attributes: _changed, ...conversationShape } = fixture;
    sim.customer.sendText(maria(), 'Oi');
    await api('/conversations/1/messages', { content: 'Vou transferir você para um atendente.' });
    await sim.waitForIdle();
    await api('/conversations/1/toggle_status', { status: 'open' });
    await api('/conversations/1/toggle_status', { status: 'resolved' });
    await sim.waitForIdle();
    for (const event of ['conversation_opened', 'conversation_resolved']) {
      const record = sim.webhooks({ event })[0]!;
      expect(compareShape(JSON.parse(record.body), conversationShape), event).toEqual([]);
    }
    const updated = sim.webhooks({ event: 'conversation_updated' }).at(-1)!;
    const payload = JSON.parse(updated.body) as Record<string, unknown>;
    expect(compareShape({ ...payload, changed_attributes: null }, fixture)).toEqual([]);
    expect(payload.changed_attributes).toEqual(
      expect.arrayContaining([{ status: { previous_value: 'open', current_value: 'resolved' } }]),
    );
  });

  it('message_created for a human reply has the text fixture shape with a user sender', async () => {
    const { conversation } = sim.customer.sendText(maria(), 'Oi');
    const agent = sim.seed.user({ accountId: account.id, name: 'Ana', email: 'ana@example.com' });
    sim.agent.reply(agent.id, conversation, 'Olá, sou a Ana');
    const record = await sim.waitForWebhook({
      event: 'message_created',
      where: (r) => r.payload.message_type === 'outgoing',
    });
    const payload = JSON.parse(record.body) as Record<string, unknown>;
    const fixture = readFixture('derived_agent_bot_message_created_whatsapp_text.json');
    // Same shape once the senders (a user here, a contact in the fixture) are set aside.
    const fixtureNested = (fixture.conversation as { messages: Record<string, unknown>[] }).messages[0]!;
    const conversationPayload = payload.conversation as { messages: Record<string, unknown>[] };
    const comparable = {
      ...payload,
      sender: fixture.sender,
      source_id: 'x',
      conversation: {
        ...conversationPayload,
        messages: [{ ...conversationPayload.messages[0], sender: fixtureNested.sender }],
      },
    };
    expect(compareShape(comparable, fixture)).toEqual([]);
    expect(payload.sender).toEqual({ id: agent.id, name: 'Ana', email: 'ana@example.com', type: 'user' });
    const nested = (payload.conversation as { messages: Record<string, unknown>[] }).messages[0]!;
    expect(nested.sender).toMatchObject({ id: agent.id, type: 'user', available_name: 'Ana' });
  });
});
