import { createChatwootSimulator, type ChatwootSimulator, type SimulatorOptions } from './simulator.js';
import { createWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';
import type {
  AccountRecord,
  AgentBotRecord,
  InboxRecord,
  UserRecord,
  WhatsappTemplate,
} from './state/records.js';

/** A simulator seeded the way most tests need it: one account, a WhatsApp inbox with its bot, an agent. */
export interface SimulatorFixture {
  sim: ChatwootSimulator;
  receiver: WebhookReceiver;
  account: AccountRecord;
  inbox: InboxRecord;
  bot: AgentBotRecord;
  agent: UserRecord;
  admin: UserRecord;
  customer: { inboxId: number; phone: string; name: string };
  /** Call the simulator's API; JSON body unless `body` is FormData. */
  api(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

export async function startSimulatorFixture(
  options: SimulatorOptions & { templates?: WhatsappTemplate[] } = {},
): Promise<SimulatorFixture> {
  const sim = await createChatwootSimulator({
    clock: { frozenAt: Date.parse('2026-06-20T14:00:00.000Z') },
    ...options,
    behaviour: { webhookRetryDelayMs: 5, ...options.behaviour },
  });
  const receiver = await createWebhookReceiver();
  const account = sim.seed.account({ name: 'Acme' });
  const inbox = sim.seed.inbox({
    accountId: account.id,
    name: 'WhatsApp Sales',
    messageTemplates: options.templates ?? [],
  });
  const bot = sim.seed.agentBot({ accountId: account.id, name: 'Aurora Bot', outgoingUrl: receiver.url });
  sim.seed.connectAgentBot(inbox.id, bot.id);
  const agent = sim.seed.user({ accountId: account.id, name: 'Ana' });
  const admin = sim.seed.user({ accountId: account.id, name: 'Ada', role: 'administrator' });
  return {
    sim,
    receiver,
    account,
    inbox,
    bot,
    agent,
    admin,
    customer: { inboxId: inbox.id, phone: '+5511987654321', name: 'Maria Silva' },
    async api(method, path, token, body) {
      const headers: Record<string, string> = token ? { api_access_token: token } : {};
      let payload: string | FormData | undefined;
      if (body instanceof FormData) payload = body;
      else if (typeof body === 'string') {
        headers['content-type'] = 'application/json';
        payload = body;
      } else if (body !== undefined) {
        headers['content-type'] = 'application/json';
        payload = JSON.stringify(body);
      }
      const response = await fetch(`${sim.url}${path}`, { method, headers, body: payload });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text === '' ? null : JSON.parse(text);
      } catch {
        // leave as text
      }
      return { status: response.status, body: parsed };
    },
    async close() {
      await sim.close();
      await receiver.close();
    },
  };
}
