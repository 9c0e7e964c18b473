import { StartupError, type SwitchboardConfig } from '@switchboard/core';
import type { ChatwootSimulator } from '@switchboard/simulator';
import type { InboxRecord, UserRecord, WhatsappTemplate } from '@switchboard/simulator';

/**
 * Seeds the in-process Chatwoot simulator from the configuration, so that local mode runs the
 * same code path as production: the configured account, its agent bot (token and HMAC secret
 * from the config), one inbox per configured inbox (bound to its assistant), an agent and an
 * administrator whose token is the config's user token, and the account webhook to analytics.
 */
export interface PlaygroundSeed {
  accountId: number;
  accountName: string;
  inboxes: Array<{ inbox: InboxRecord; assistant: string; channel: string }>;
  agent: UserRecord;
  admin: UserRecord | null;
}

export const PLAYGROUND_TEMPLATES: WhatsappTemplate[] = [
  {
    name: 'conversation_follow_up',
    language: 'en',
    status: 'APPROVED',
    category: 'UTILITY',
    parameter_format: 'POSITIONAL',
    components: [
      {
        type: 'BODY',
        text: 'Hi {{1}}, this is {{2}} following up on your message. Reply to continue the conversation.',
      },
    ],
  },
  {
    name: 'appointment_reminder',
    language: 'en',
    status: 'APPROVED',
    category: 'UTILITY',
    parameter_format: 'POSITIONAL',
    components: [
      { type: 'BODY', text: 'Reminder: your appointment at {{1}} is on {{2}}. Reply to change it.' },
    ],
  },
];

export function seedPlayground(
  sim: ChatwootSimulator,
  config: SwitchboardConfig,
  urls: { agentBotWebhook: string; analyticsWebhook: string },
): PlaygroundSeed {
  const account = config.chatwoot.accounts[0];
  if (!account) {
    throw new StartupError('config: chatwoot.accounts is empty: the local playground needs one account.');
  }
  const businessName = 'Riverside Bikes';
  // After a restart the simulator holds the rows of the last run (its data dir): reuse them, and
  // update what changes per run (the services' URLs, tokens from the environment).
  const seededAccount = sim.store.accounts.get(account.id) ?? sim.seed.account({ name: businessName });
  expectId('chatwoot.accounts[0].id', account.id, seededAccount.id);

  const botUrl = account.bot.urlToken
    ? `${urls.agentBotWebhook}?token=${encodeURIComponent(account.bot.urlToken)}`
    : urls.agentBotWebhook;
  const botSettings = {
    outgoingUrl: botUrl,
    accessToken: account.bot.accessToken,
    secret: account.bot.webhookSecret ?? null,
  };
  const existingBot = sim.store.agentBots.get(account.bot.id);
  const bot = existingBot
    ? Object.assign(existingBot, botSettings)
    : sim.seed.agentBot({ accountId: seededAccount.id, name: 'Switchboard', ...botSettings });
  expectId('chatwoot.accounts[0].bot.id', account.bot.id, bot.id);

  const userByEmail = (email: string): UserRecord | undefined =>
    [...sim.store.users.values()].find((user) => user.email === email);
  const agent =
    userByEmail('alex@riverside-bikes.example') ??
    sim.seed.user({ accountId: seededAccount.id, name: 'Alex Agent', email: 'alex@riverside-bikes.example' });
  let admin: UserRecord | null = null;
  if (account.userAccessToken) {
    admin =
      userByEmail('ada@riverside-bikes.example') ??
      sim.seed.user({
        accountId: seededAccount.id,
        name: 'Ada Admin',
        email: 'ada@riverside-bikes.example',
        role: 'administrator',
        accessToken: account.userAccessToken,
      });
    admin.accessToken = account.userAccessToken;
  }

  const inboxes = account.inboxes.map((configured) => {
    const assistant = config.assistants[configured.assistant];
    const channel = configured.channel === 'web' ? 'web' : configured.channel === 'api' ? 'api' : 'whatsapp';
    const name = `${assistant?.name ?? configured.assistant} (${configured.channel})`;
    const existing = sim.store.inboxes.get(configured.id);
    const inbox =
      existing && existing.channelType === CHANNEL_TYPE[channel]
        ? Object.assign(existing, { name })
        : sim.seed.inbox({
            accountId: seededAccount.id,
            name,
            channel,
            phoneNumber: '+441174960123',
            messageTemplates: PLAYGROUND_TEMPLATES,
          });
    expectId(`chatwoot.accounts[0].inboxes (${configured.assistant}).id`, configured.id, inbox.id);
    sim.seed.connectAgentBot(inbox.id, bot.id);
    return { inbox, assistant: configured.assistant, channel: configured.channel };
  });

  const webhookSettings = { url: urls.analyticsWebhook, secret: account.accountWebhookSecret ?? null };
  const existingWebhook = [...sim.store.accountWebhooks.values()].find(
    (webhook) => webhook.accountId === seededAccount.id,
  );
  if (existingWebhook) Object.assign(existingWebhook, webhookSettings);
  else sim.seed.accountWebhook({ accountId: seededAccount.id, ...webhookSettings });
  sim.save();
  return { accountId: seededAccount.id, accountName: businessName, inboxes, agent, admin };
}

const CHANNEL_TYPE = {
  whatsapp: 'Channel::Whatsapp',
  web: 'Channel::WebWidget',
  api: 'Channel::Api',
} as const;

/** The simulator numbers records from 1 in creation order; the config must use the same ids. */
function expectId(key: string, configured: number, seeded: number): void {
  if (configured !== seeded) {
    throw new StartupError(
      `config: ${key} is ${configured}, but the local playground creates it as ${seeded}; number accounts, bots and inboxes from 1 in order.`,
    );
  }
}
