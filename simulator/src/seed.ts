import type { SimulatorContext } from './context.js';
import { secureToken } from './ids.js';
import type {
  AccountRecord,
  AccountWebhookRecord,
  AgentBotRecord,
  ChannelType,
  InboxRecord,
  TeamRecord,
  UserRecord,
  WhatsappTemplate,
} from './state/records.js';
import { nextId, requireRecord } from './state/store.js';

/** Functions that create the rows a test needs, with Chatwoot-like defaults and fresh tokens. */

export function createAccount(
  context: SimulatorContext,
  input: { name?: string; keepPendingOnBotFailure?: boolean } = {},
): AccountRecord {
  const id = nextId(context.store, 'accounts');
  const account: AccountRecord = {
    id,
    name: input.name ?? `Account ${id}`,
    keepPendingOnBotFailure: input.keepPendingOnBotFailure ?? false,
    nextDisplayId: 1,
  };
  context.store.accounts.set(id, account);
  return account;
}

export const CHANNEL_TYPES: Record<'whatsapp' | 'web' | 'api', ChannelType> = {
  whatsapp: 'Channel::Whatsapp',
  web: 'Channel::WebWidget',
  api: 'Channel::Api',
};

export interface InboxInput {
  accountId: number;
  name?: string;
  channel?: 'whatsapp' | 'web' | 'api';
  /** WhatsApp business number, E.164. */
  phoneNumber?: string;
  provider?: 'whatsapp_cloud' | 'default';
  messageTemplates?: WhatsappTemplate[];
  agentReplyTimeWindowHours?: number | null;
  lockToSingleConversation?: boolean;
  /** Turn on the inbox greeting: a `template` message with no sender after a new conversation's first message. */
  greetingMessage?: string | null;
}

export function createInbox(context: SimulatorContext, input: InboxInput): InboxRecord {
  requireRecord(context.store.accounts, input.accountId, 'account');
  const channel = input.channel ?? 'whatsapp';
  const id = nextId(context.store, 'inboxes');
  const inbox: InboxRecord = {
    id,
    accountId: input.accountId,
    name: input.name ?? `Inbox ${id}`,
    channelType: CHANNEL_TYPES[channel],
    provider: channel === 'whatsapp' ? (input.provider ?? 'whatsapp_cloud') : null,
    phoneNumber: channel === 'whatsapp' ? (input.phoneNumber ?? '+15550001000') : null,
    messageTemplates: input.messageTemplates ?? [],
    agentReplyTimeWindowHours: input.agentReplyTimeWindowHours ?? null,
    lockToSingleConversation: input.lockToSingleConversation ?? false,
    greetingMessage: input.greetingMessage ?? null,
  };
  context.store.inboxes.set(id, inbox);
  return inbox;
}

export interface AgentBotInput {
  accountId: number;
  name?: string;
  outgoingUrl: string;
  description?: string;
  /** Omit for a random secret; null for a bot with no secret (unsigned webhooks, as before 4.13). */
  secret?: string | null;
  accessToken?: string;
}

export function createAgentBot(context: SimulatorContext, input: AgentBotInput): AgentBotRecord {
  requireRecord(context.store.accounts, input.accountId, 'account');
  const id = nextId(context.store, 'agent_bots');
  const bot: AgentBotRecord = {
    id,
    accountId: input.accountId,
    name: input.name ?? `Bot ${id}`,
    description: input.description ?? '',
    outgoingUrl: input.outgoingUrl,
    accessToken: input.accessToken ?? secureToken(24),
    secret: input.secret === undefined ? secureToken(24) : input.secret,
  };
  context.store.agentBots.set(id, bot);
  return bot;
}

/** `set_agent_bot`: connect a bot to an inbox (active), or detach with `agentBotId: null`. */
export function connectAgentBot(
  context: SimulatorContext,
  inboxId: number,
  agentBotId: number | null,
  status: 'active' | 'inactive' = 'active',
): void {
  requireRecord(context.store.inboxes, inboxId, 'inbox');
  if (agentBotId === null) {
    context.store.agentBotInboxes.delete(inboxId);
    return;
  }
  requireRecord(context.store.agentBots, agentBotId, 'agent bot');
  context.store.agentBotInboxes.set(inboxId, { inboxId, agentBotId, status });
}

export interface UserInput {
  accountId: number;
  name?: string;
  email?: string;
  role?: 'agent' | 'administrator';
  accessToken?: string;
}

export function createUser(context: SimulatorContext, input: UserInput): UserRecord {
  requireRecord(context.store.accounts, input.accountId, 'account');
  const id = nextId(context.store, 'users');
  const user: UserRecord = {
    id,
    name: input.name ?? `Agent ${id}`,
    email: input.email ?? `agent${id}@example.com`,
    accessToken: input.accessToken ?? secureToken(24),
    role: input.role ?? 'agent',
    accountIds: [input.accountId],
    availabilityStatus: 'online',
  };
  context.store.users.set(id, user);
  return user;
}

export function createTeam(
  context: SimulatorContext,
  input: { accountId: number; name: string },
): TeamRecord {
  const id = nextId(context.store, 'teams');
  const team: TeamRecord = { id, accountId: input.accountId, name: input.name };
  context.store.teams.set(id, team);
  return team;
}

export function createAccountWebhook(
  context: SimulatorContext,
  input: { accountId: number; url: string; subscriptions?: string[]; secret?: string | null },
): AccountWebhookRecord {
  const id = nextId(context.store, 'webhooks');
  const webhook: AccountWebhookRecord = {
    id,
    accountId: input.accountId,
    url: input.url,
    subscriptions: input.subscriptions ?? [],
    secret: input.secret === undefined ? secureToken(24) : input.secret,
  };
  context.store.accountWebhooks.set(id, webhook);
  return webhook;
}
