import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChatwootSimulator, type ChatwootSimulator } from '../simulator.js';
import { createWebhookReceiver, type WebhookReceiver } from '../webhook-receiver.js';
import type { AccountRecord, AgentBotRecord, InboxRecord, UserRecord } from '../state/records.js';

let sim: ChatwootSimulator;
let receiver: WebhookReceiver;
let account: AccountRecord;
let inbox: InboxRecord;
let bot: AgentBotRecord;
let agent: UserRecord;
const phone = '+5511987654321';

beforeEach(async () => {
  sim = await createChatwootSimulator({ clock: { frozenAt: Date.parse('2026-06-20T14:03:11.000Z') } });
  account = sim.seed.account({ name: 'Acme' });
  inbox = sim.seed.inbox({ accountId: account.id, name: 'WhatsApp Sales' });
  receiver = await createWebhookReceiver({ secret: 'bot-secret' });
  bot = sim.seed.agentBot({
    accountId: account.id,
    name: 'Aurora Bot',
    outgoingUrl: receiver.url,
    secret: 'bot-secret',
  });
  sim.seed.connectAgentBot(inbox.id, bot.id);
  agent = sim.seed.user({ accountId: account.id, name: 'Ana' });
  sim.customer.sendText({ inboxId: inbox.id, phone, name: 'maria silva' }, 'Oi');
});
afterEach(async () => {
  await sim.close();
  await receiver.close();
});

async function post(
  body: Record<string, unknown>,
  token = bot.accessToken,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${sim.url}/api/v1/accounts/${account.id}/conversations/1/messages`, {
    method: 'POST',
    headers: { api_access_token: token, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

describe('Liquid on send (liquidable.rb)', () => {
  it('renders outgoing content with the contact, agent, conversation, inbox and account drops', async () => {
    const created = await post({
      content:
        'Oi {{contact.first_name}} ({{contact.name}}, {{contact.phone_number}}), aqui é {{agent.name}} ' +
        'da {{account.name}}/{{inbox.name}}, conversa {{conversation.display_id}} de {{conversation.contact_name}}.' +
        '{{name}}{% if contact.email %} com email{% endif %}',
    });
    const expected = `Oi maria (maria silva, ${phone}), aqui é Aurora Bot da Acme/WhatsApp Sales, conversa 1 de Maria silva.`;
    expect(created.content).toBe(expected);
    await sim.waitForIdle();
    // WhatsApp gets the rendered text.
    expect(sim.customer.received(phone)).toMatchObject([
      { type: 'text', body: { text: { body: expected } } },
    ]);
  });

  it('leaves code spans alone and keeps a template that does not parse as written', async () => {
    expect((await post({ content: 'use `{{contact.name}}` ou {{contact.name}}' })).content).toBe(
      'use `{{contact.name}}` ou maria silva',
    );
    expect((await post({ content: '{% if %} quebrado {{contact.name}}' })).content).toBe(
      '{% if %} quebrado {{contact.name}}',
    );
  });

  it('renders private notes too (they are outgoing messages), with the user as the agent', async () => {
    const note = await post({ content: 'nota de {{agent.name}}', private: true }, agent.accessToken);
    expect(note.content).toBe('nota de Ana');
  });

  it('renders each template parameter, without the code-span pass', async () => {
    await post({
      content: 'Pedido',
      template_params: {
        name: 'order_update',
        language: 'pt_BR',
        processed_params: { body: { '1': '{{contact.first_name}}', '2': '`{{contact.first_name}}`' } },
      },
    });
    const message = sim.messages({ accountId: account.id, displayId: 1 }).at(-1)!;
    const params = (message.additionalAttributes.template_params as Record<string, unknown>)
      .processed_params as { body: Record<string, string> };
    expect(params.body).toEqual({ '1': 'maria', '2': '`maria`' });
  });

  it('does not render incoming messages', async () => {
    const { message } = sim.customer.sendText(
      { inboxId: inbox.id, phone, name: 'maria silva' },
      '{{contact.name}}',
    );
    expect(message.content).toBe('{{contact.name}}');
  });
});
