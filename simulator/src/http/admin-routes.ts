import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { SimulatorContext } from '../context.js';
import { inboxJson } from '../presenters/api-presenter.js';
import { createAccountWebhook, createAgentBot } from '../seed.js';
import type { AccountWebhookRecord, AgentBotRecord } from '../state/records.js';
import { nextId } from '../state/store.js';
import { authenticate, type Caller } from './authenticate.js';
import { ChatwootHttpError, notFound, unauthorized, unprocessable } from './http-errors.js';
import { parseId, type AccountParams } from './route-helpers.js';

/**
 * The administrator endpoints `npm run connect-chatwoot` uses to wire Switchboard into an account,
 * as Chatwoot v4.15 serves them (app/controllers/api/v1/accounts/{inboxes,agent_bots,webhooks,
 * dashboard_apps}_controller.rb and their jbuilder views). User tokens only: these controllers are
 * not in the bot allow-list.
 */

/** Pundit::NotAuthorizedError (RequestExceptionHandler). */
export const NOT_ALLOWED = 'You are not authorized to do this action';
/** Webhook::ALLOWED_WEBHOOK_EVENTS (app/models/webhook.rb). */
export const ALLOWED_WEBHOOK_EVENTS = [
  'conversation_status_changed',
  'conversation_updated',
  'conversation_created',
  'contact_created',
  'contact_updated',
  'message_created',
  'message_updated',
  'webwidget_triggered',
  'inbox_created',
  'inbox_updated',
  'conversation_typing_on',
  'conversation_typing_off',
] as const;

export interface DashboardAppRecord {
  id: number;
  accountId: number;
  userId: number;
  title: string;
  content: unknown;
  createdAt: number;
}

/** dashboard_apps rows, kept beside the shared store (one table only these routes use). */
const dashboardAppsByContext = new WeakMap<SimulatorContext, Map<number, DashboardAppRecord>>();
export function dashboardApps(context: SimulatorContext): Map<number, DashboardAppRecord> {
  let apps = dashboardAppsByContext.get(context);
  if (!apps) {
    apps = new Map();
    dashboardAppsByContext.set(context, apps);
  }
  return apps;
}

type Params = AccountParams & { id?: string; webhook_id?: string };
type AdminRequest = FastifyRequest<{ Params: Params; Body: unknown }>;

/** `render_record_invalid`: 422 `{message, attributes}` from the model's errors. */
function recordInvalid(errors: [attribute: string, message: string][]): ChatwootHttpError {
  return new ChatwootHttpError(422, {
    message: errors.map(([attribute, message]) => `${humanize(attribute)} ${message}`).join(', '),
    attributes: errors.map(([attribute]) => attribute),
  });
}
function humanize(attribute: string): string {
  const words = attribute.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Rails' ParamsWrapper (wrap_parameters format: [:json]): a JSON body without the model's key gets
 * its model-attribute keys copied under it, so `{url, subscriptions}` and `{webhook: {...}}` both work.
 */
function wrapped(body: unknown, key: string, attributes: readonly string[]): Record<string, unknown> | null {
  const object = (body ?? {}) as Record<string, unknown>;
  if (key in object) {
    const inner = object[key];
    return inner && typeof inner === 'object' && !Array.isArray(inner)
      ? (inner as Record<string, unknown>)
      : null;
  }
  const picked = Object.fromEntries(Object.entries(object).filter(([name]) => attributes.includes(name)));
  return Object.keys(picked).length > 0 ? picked : null;
}

function requireAdministrator(caller: Caller): void {
  if (caller.type !== 'user' || caller.user.role !== 'administrator') throw unauthorized(NOT_ALLOWED);
}

/** api/v1/models/_agent_bot.json.jbuilder via AgentBotPresenter (token for the bot's own account). */
export function agentBotJson(bot: AgentBotRecord, accountId: number, administrator: boolean) {
  const json: Record<string, unknown> = {
    id: bot.id,
    name: bot.name,
    description: bot.description,
    thumbnail: '',
    outgoing_url: bot.outgoingUrl,
    bot_type: 'webhook',
    bot_config: {},
    account_id: bot.accountId,
  };
  if (bot.accountId === accountId) json.access_token = bot.accessToken;
  if (administrator && bot.secret !== null) json.secret = bot.secret;
  json.system_bot = false;
  return json;
}

/** api/v1/accounts/webhooks/_webhook.json.jbuilder */
export function webhookJson(webhook: AccountWebhookRecord, name: string | null) {
  return {
    id: webhook.id,
    name,
    url: webhook.url,
    account_id: webhook.accountId,
    subscriptions: webhook.subscriptions,
    secret: webhook.secret,
  };
}

function dashboardAppJson(app: DashboardAppRecord) {
  return {
    id: app.id,
    title: app.title,
    content: app.content,
    created_at: new Date(app.createdAt).toISOString(),
  };
}

const webhookNames = new WeakMap<AccountWebhookRecord, string | null>();

const agentBotParams = z.object({
  name: z.string().nullish(),
  description: z.string().nullish(),
  outgoing_url: z.string().nullish(),
  bot_type: z.union([z.literal('webhook'), z.literal(0), z.literal('0')]).nullish(),
});
const webhookParams = z.object({
  url: z.string().optional(),
  name: z.string().nullish(),
  subscriptions: z.unknown().optional(),
});
const dashboardAppParams = z.object({ title: z.string().nullish(), content: z.unknown().optional() });

const URL_PATTERN = /^https?:\/\/[^\s/$.?#][^\s]*$/i;

function validateWebhook(
  context: SimulatorContext,
  accountId: number,
  url: string,
  subscriptions: unknown,
  id?: number,
) {
  const errors: [string, string][] = [];
  if (!URL_PATTERN.test(url)) errors.push(['url', 'is invalid']);
  for (const other of context.store.accountWebhooks.values()) {
    if (other.accountId === accountId && other.url === url && other.id !== id)
      errors.push(['url', 'has already been taken']);
  }
  const valid =
    Array.isArray(subscriptions) &&
    subscriptions.length > 0 &&
    subscriptions.every((name) => (ALLOWED_WEBHOOK_EVENTS as readonly unknown[]).includes(name));
  if (!valid) errors.push(['subscriptions', 'Invalid events']);
  if (errors.length > 0) throw recordInvalid(errors);
}

/** DashboardApp#validate_content: frames with an http(s) URL, at least one. */
function validDashboardContent(content: unknown): boolean {
  return (
    Array.isArray(content) &&
    content.length > 0 &&
    content.every((item: unknown) => {
      const frame = item as { type?: unknown; url?: unknown };
      return (
        frame && frame.type === 'frame' && typeof frame.url === 'string' && /^https?:\/\//.test(frame.url)
      );
    })
  );
}

export function registerAdminRoutes(app: FastifyInstance, context: SimulatorContext): void {
  const start = (request: AdminRequest) => {
    const accountId = parseId(request.params.accountId);
    const caller = authenticate(context, request, accountId, { botAllowed: false });
    return { accountId, caller };
  };
  const isAdministrator = (caller: Caller) => caller.type === 'user' && caller.user.role === 'administrator';

  // InboxPolicy::Scope → user.assigned_inboxes: every inbox for administrators. The simulator keeps no
  // inbox memberships, so an agent sees none.
  app.get('/api/v1/accounts/:accountId/inboxes', async (request: AdminRequest) => {
    const { accountId, caller } = start(request);
    const inboxes = isAdministrator(caller)
      ? [...context.store.inboxes.values()].filter((inbox) => inbox.accountId === accountId)
      : [];
    return { payload: inboxes.map((inbox) => inboxJson(inbox, true)) };
  });

  app.get('/api/v1/accounts/:accountId/inboxes/:id/agent_bot', async (request: AdminRequest) => {
    const { accountId } = start(request);
    const inbox = context.store.inboxes.get(parseId(request.params.id ?? ''));
    if (!inbox || inbox.accountId !== accountId) throw notFound();
    const link = context.store.agentBotInboxes.get(inbox.id);
    const bot = link ? context.store.agentBots.get(link.agentBotId) : undefined;
    // `json.agent_bot do … if present end`: an empty object when the inbox has no bot.
    return { agent_bot: bot ? agentBotJson(bot, accountId, false) : {} };
  });

  app.get('/api/v1/accounts/:accountId/agent_bots', async (request: AdminRequest) => {
    const { accountId, caller } = start(request);
    const bots = [...context.store.agentBots.values()].filter((bot) => bot.accountId === accountId);
    return bots.map((bot) => agentBotJson(bot, accountId, isAdministrator(caller)));
  });

  app.post('/api/v1/accounts/:accountId/agent_bots', async (request: AdminRequest) => {
    const { accountId, caller } = start(request);
    requireAdministrator(caller);
    const params = agentBotParams.safeParse(request.body ?? {});
    // An unknown bot_type is an ArgumentError in the enum setter: Rails' 500.
    if (!params.success) throw new ChatwootHttpError(500, { status: 500, error: 'Internal Server Error' });
    const outgoingUrl = params.data.outgoing_url ?? '';
    if (outgoingUrl.length > 2048)
      throw recordInvalid([['outgoing_url', 'is too long (maximum is 2048 characters)']]);
    const bot = createAgentBot(context, {
      accountId,
      name: params.data.name ?? '',
      description: params.data.description ?? '',
      outgoingUrl,
    });
    return agentBotJson(bot, accountId, true);
  });

  app.get('/api/v1/accounts/:accountId/webhooks', async (request: AdminRequest) => {
    const { accountId, caller } = start(request);
    requireAdministrator(caller);
    const webhooks = [...context.store.accountWebhooks.values()].filter(
      (hook) => hook.accountId === accountId,
    );
    return {
      payload: { webhooks: webhooks.map((hook) => webhookJson(hook, webhookNames.get(hook) ?? null)) },
    };
  });

  app.post('/api/v1/accounts/:accountId/webhooks', async (request: AdminRequest) => {
    const { accountId, caller } = start(request);
    requireAdministrator(caller);
    const raw = wrapped(request.body, 'webhook', ['url', 'name', 'subscriptions', 'inbox_id']);
    if (!raw) throw unprocessable('param is missing or the value is empty: webhook');
    const params = webhookParams.parse(raw);
    validateWebhook(context, accountId, params.url ?? '', params.subscriptions);
    const webhook = createAccountWebhook(context, {
      accountId,
      url: params.url!,
      subscriptions: params.subscriptions as string[],
    });
    webhookNames.set(webhook, params.name ?? null);
    return { payload: { webhook: webhookJson(webhook, params.name ?? null) } };
  });

  app.patch('/api/v1/accounts/:accountId/webhooks/:webhook_id', async (request: AdminRequest) => {
    const { accountId, caller } = start(request);
    requireAdministrator(caller);
    const webhook = context.store.accountWebhooks.get(parseId(request.params.webhook_id ?? ''));
    if (!webhook || webhook.accountId !== accountId) throw notFound();
    const raw = wrapped(request.body, 'webhook', ['url', 'name', 'subscriptions', 'inbox_id']);
    if (!raw) throw unprocessable('param is missing or the value is empty: webhook');
    const params = webhookParams.parse(raw);
    const url = params.url ?? webhook.url;
    const subscriptions = params.subscriptions ?? webhook.subscriptions;
    validateWebhook(context, accountId, url, subscriptions, webhook.id);
    webhook.url = url;
    webhook.subscriptions = subscriptions as string[];
    if (params.name !== undefined) webhookNames.set(webhook, params.name);
    return { payload: { webhook: webhookJson(webhook, webhookNames.get(webhook) ?? null) } };
  });

  // No policy: any user of the account may manage dashboard apps.
  app.get('/api/v1/accounts/:accountId/dashboard_apps', async (request: AdminRequest) => {
    const { accountId } = start(request);
    return [...dashboardApps(context).values()]
      .filter((row) => row.accountId === accountId)
      .map(dashboardAppJson);
  });

  app.post('/api/v1/accounts/:accountId/dashboard_apps', async (request: AdminRequest) => {
    const { accountId, caller } = start(request);
    const raw = wrapped(request.body, 'dashboard_app', ['title', 'content']);
    if (!raw) throw unprocessable('param is missing or the value is empty: dashboard_app');
    const params = dashboardAppParams.parse(raw);
    if (!validDashboardContent(params.content)) throw recordInvalid([['content', ': Invalid data']]);
    const row: DashboardAppRecord = {
      id: nextId(context.store, 'dashboard_apps'),
      accountId,
      userId: caller.type === 'user' ? caller.user.id : 0,
      title: params.title ?? '',
      content: params.content,
      createdAt: context.clock.nowMs(),
    };
    dashboardApps(context).set(row.id, row);
    return dashboardAppJson(row);
  });

  app.patch('/api/v1/accounts/:accountId/dashboard_apps/:id', async (request: AdminRequest) => {
    const { accountId } = start(request);
    const row = dashboardApps(context).get(parseId(request.params.id ?? ''));
    if (!row || row.accountId !== accountId) throw notFound();
    const raw = wrapped(request.body, 'dashboard_app', ['title', 'content']);
    if (!raw) throw unprocessable('param is missing or the value is empty: dashboard_app');
    const params = dashboardAppParams.parse(raw);
    const content = params.content ?? row.content;
    if (!validDashboardContent(content)) throw recordInvalid([['content', ': Invalid data']]);
    row.content = content;
    if (params.title !== undefined && params.title !== null) row.title = params.title;
    return dashboardAppJson(row);
  });
}
