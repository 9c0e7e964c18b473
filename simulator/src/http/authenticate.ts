import type { FastifyRequest } from 'fastify';
import type { SimulatorContext } from '../context.js';
import type { AgentBotRecord, UserRecord } from '../state/records.js';
import {
  BOT_ACCOUNT_FORBIDDEN,
  BOT_ENDPOINT_FORBIDDEN,
  INVALID_TOKEN,
  USER_ACCOUNT_FORBIDDEN,
  notFound,
  unauthorized,
} from './http-errors.js';

export type Caller = { type: 'user'; user: UserRecord } | { type: 'agent_bot'; bot: AgentBotRecord };

/**
 * `api_access_token` → user or agent bot (AccessTokenAuthHelper). Bots may only call the endpoints in
 * `BOT_ACCESSIBLE_ENDPOINTS`; a bot may use an account it belongs to or has an inbox in.
 */
export function authenticate(
  context: SimulatorContext,
  request: FastifyRequest,
  accountId: number,
  options: { botAllowed: boolean },
): Caller {
  const header = request.headers['api_access_token'];
  const token = Array.isArray(header) ? header[0] : header;
  if (!token) throw unauthorized(INVALID_TOKEN);
  const caller = findCaller(context, token);
  if (!caller) throw unauthorized(INVALID_TOKEN);
  if (caller.type === 'agent_bot') {
    if (!options.botAllowed) throw unauthorized(BOT_ENDPOINT_FORBIDDEN);
    if (!context.store.accounts.has(accountId)) throw notFound();
    if (!botCanAccessAccount(context, caller.bot, accountId)) throw unauthorized(BOT_ACCOUNT_FORBIDDEN);
    return caller;
  }
  if (!context.store.accounts.has(accountId)) throw notFound();
  if (!caller.user.accountIds.includes(accountId)) throw unauthorized(USER_ACCOUNT_FORBIDDEN);
  return caller;
}

function findCaller(context: SimulatorContext, token: string): Caller | undefined {
  for (const user of context.store.users.values()) {
    if (user.accessToken === token) return { type: 'user', user };
  }
  for (const bot of context.store.agentBots.values()) {
    if (bot.accessToken === token) return { type: 'agent_bot', bot };
  }
  return undefined;
}

function botCanAccessAccount(context: SimulatorContext, bot: AgentBotRecord, accountId: number): boolean {
  if (bot.accountId === accountId) return true;
  for (const link of context.store.agentBotInboxes.values()) {
    if (link.agentBotId !== bot.id) continue;
    if (context.store.inboxes.get(link.inboxId)?.accountId === accountId) return true;
  }
  return false;
}
