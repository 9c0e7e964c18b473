import type { ChatwootSimulator } from './simulator.js';
import type {
  AccountRecord,
  AgentBotRecord,
  InboxRecord,
  UserRecord,
  WhatsappTemplate,
} from './state/records.js';

export interface DemoSeed {
  account: AccountRecord;
  whatsappInbox: InboxRecord;
  webInbox: InboxRecord;
  bot: AgentBotRecord;
  agent: UserRecord;
  admin: UserRecord;
}

/** Two approved templates, one positional and one named, like a synced WhatsApp Business account. */
export const DEMO_TEMPLATES: WhatsappTemplate[] = [
  {
    name: 'order_update',
    language: 'pt_BR',
    status: 'APPROVED',
    category: 'UTILITY',
    parameter_format: 'POSITIONAL',
    components: [{ type: 'BODY', text: 'Olá {{1}}, seu pedido {{2}} foi atualizado.' }],
  },
  {
    name: 'follow_up',
    language: 'en',
    status: 'APPROVED',
    category: 'MARKETING',
    parameter_format: 'NAMED',
    components: [{ type: 'BODY', text: 'Hi {{customer_name}}, can we help with anything else?' }],
  },
];

/** The playground's account: a WhatsApp inbox with the bot connected, a web inbox, an agent and an admin. */
export function seedDemo(
  simulator: ChatwootSimulator,
  options: { botUrl: string; botSecret?: string; botToken?: string; agentToken?: string },
): DemoSeed {
  const account = simulator.seed.account({ name: 'Acme' });
  const whatsappInbox = simulator.seed.inbox({
    accountId: account.id,
    name: 'WhatsApp Sales',
    channel: 'whatsapp',
    phoneNumber: '+15550001000',
    messageTemplates: DEMO_TEMPLATES,
  });
  const webInbox = simulator.seed.inbox({ accountId: account.id, name: 'Website', channel: 'web' });
  const bot = simulator.seed.agentBot({
    accountId: account.id,
    name: 'Switchboard',
    outgoingUrl: options.botUrl,
    ...(options.botSecret ? { secret: options.botSecret } : {}),
    ...(options.botToken ? { accessToken: options.botToken } : {}),
  });
  simulator.seed.connectAgentBot(whatsappInbox.id, bot.id);
  const agent = simulator.seed.user({
    accountId: account.id,
    name: 'Ana Agent',
    email: 'ana@example.com',
    ...(options.agentToken ? { accessToken: options.agentToken } : {}),
  });
  const admin = simulator.seed.user({
    accountId: account.id,
    name: 'Ada Admin',
    email: 'ada@example.com',
    role: 'administrator',
  });
  return { account, whatsappInbox, webInbox, bot, agent, admin };
}
