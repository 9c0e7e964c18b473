import crypto from 'node:crypto';
import fs from 'node:fs';
import { ChatwootAdminApi, type ChatwootAgentBot, type ChatwootInbox } from './chatwoot-admin-api.js';
import { SwitchboardConfigFile, type ConfigInbox } from './config-file.js';
import { readEnvFile, writeEnvFile } from './env-file.js';
import { checkReengagementTemplate } from './reengagement-templates.js';

/**
 * Wires Switchboard into one Chatwoot account: the agent bot and its inboxes, the analytics account
 * webhook, the insight panel as a Dashboard App, the re-engagement template check, then the ids into
 * the config YAML and the secrets into `.env`. Reads everything first and changes only what differs,
 * so a second run changes nothing; a dry run stops after the reading.
 */
export interface ConnectOptions {
  /** Chatwoot as this machine reaches it, e.g. https://chat.example.com */
  chatwootUrl: string;
  accountId: number;
  /** An administrator's access token (Profile settings → Access token). */
  adminToken: string;
  /** WhatsApp inboxes to connect; empty = those the config lists, else the account's only one. */
  inboxIds: number[];
  /** Assistant for inboxes the config does not list yet; defaults to the config's only assistant. */
  assistant?: string;
  botName: string;
  /** Where Chatwoot posts the bot's webhooks (agent-bot's /webhooks/chatwoot). */
  botOutgoingUrl: string;
  /** analytics-ingest as Chatwoot reaches it; the account webhook goes to …/webhooks/chatwoot/accounts/{id}. */
  analyticsUrl: string;
  /** The insight panel as agents' browsers reach it (…/panel); the account's analytics token is added. */
  panelUrl: string;
  configFile: string;
  envFile: string;
  dryRun: boolean;
}

export interface ConnectResult {
  /** Changes made in Chatwoot and in the files (0 on a second run; planned ones on a dry run). */
  changes: number;
  /** Things an operator must do (a missing template, an old Chatwoot). */
  actionsNeeded: string[];
}

/** Bad input (an inbox that is not WhatsApp, no assistant to pick): exit code 2. */
export class ConnectUsageError extends Error {
  override name = 'ConnectUsageError';
}

/** The events analytics records (analytics/README.md, account webhooks). */
export const ANALYTICS_SUBSCRIPTIONS = [
  'conversation_created',
  'conversation_status_changed',
  'conversation_updated',
  'message_created',
];
export const DASHBOARD_APP_TITLE = 'Switchboard insight';
const BOT_DESCRIPTION = 'Switchboard AI agent (answers WhatsApp, hands off to humans)';

export async function connectChatwoot(
  options: ConnectOptions,
  log: (line: string) => void,
): Promise<ConnectResult> {
  const api = new ChatwootAdminApi(options.chatwootUrl, options.accountId, options.adminToken);
  const config = SwitchboardConfigFile.read(options.configFile);
  const env = readEnvFile(options.envFile);
  const variables = config.secretVariables(options.accountId);
  const actionsNeeded: string[] = [];
  let changes = 0;
  const plan = (change: boolean, line: string) => {
    if (change) changes++;
    log(`  ${change ? (options.dryRun ? 'would ' : '') : 'ok    '}${line}`);
  };

  log(`Chatwoot ${options.chatwootUrl}, account ${options.accountId}${options.dryRun ? ' (dry run)' : ''}`);
  const inboxes = await api.listInboxes();
  const chosen = chooseInboxes(options, inboxes, config.configuredInboxes(options.accountId));
  const assigned = assignAssistants(options, chosen, config);
  log(
    `  inboxes: ${inboxes.map((inbox) => `${inbox.id} "${inbox.name}" (${inbox.channel_type})`).join(', ')}`,
  );

  // Agent bot: ours is the account bot posting to our outgoing URL.
  const bots = await api.listAgentBots();
  let bot: ChatwootAgentBot | undefined = bots.find(
    (candidate) =>
      candidate.account_id === options.accountId && candidate.outgoing_url === options.botOutgoingUrl,
  );
  if (bot) plan(false, `agent bot ${bot.id} "${bot.name ?? ''}" posts to ${options.botOutgoingUrl}`);
  else {
    plan(true, `create agent bot "${options.botName}" posting to ${options.botOutgoingUrl}`);
    if (!options.dryRun) {
      bot = await api.createAgentBot({
        name: options.botName,
        description: BOT_DESCRIPTION,
        outgoingUrl: options.botOutgoingUrl,
      });
    }
  }
  if (bot && !bot.secret) {
    actionsNeeded.push(
      `agent bot ${bot.id} has no secret: Chatwoot older than 4.13 sends unsigned webhooks. Upgrade Chatwoot ` +
        '(the compose file pins 4.15), then run this command again.',
    );
  }

  for (const inbox of chosen) {
    const current = await api.inboxAgentBotId(inbox.id);
    if (bot && current === bot.id)
      plan(false, `inbox ${inbox.id} "${inbox.name}" is answered by the agent bot`);
    else {
      const replacing = current === null ? '' : ` (replacing agent bot ${current})`;
      plan(true, `connect inbox ${inbox.id} "${inbox.name}" to the agent bot${replacing}`);
      if (!options.dryRun && bot) await api.setInboxAgentBot(inbox.id, bot.id);
    }
  }

  // Account webhook for analytics, signed with its own secret (Chatwoot >= 4.12).
  const webhookUrl = `${options.analyticsUrl.replace(/\/+$/, '')}/webhooks/chatwoot/accounts/${options.accountId}`;
  let webhook = (await api.listWebhooks()).find((candidate) => candidate.url === webhookUrl);
  const missing = ANALYTICS_SUBSCRIPTIONS.filter((event) => !(webhook?.subscriptions ?? []).includes(event));
  if (!webhook) {
    plan(true, `create account webhook ${webhookUrl} (${ANALYTICS_SUBSCRIPTIONS.join(', ')})`);
    if (!options.dryRun) {
      webhook = await api.createWebhook({
        url: webhookUrl,
        name: 'Switchboard analytics',
        subscriptions: ANALYTICS_SUBSCRIPTIONS,
      });
    }
  } else if (missing.length > 0) {
    plan(true, `subscribe account webhook ${webhook.id} also to ${missing.join(', ')}`);
    if (!options.dryRun) {
      webhook = await api.updateWebhookSubscriptions(webhook.id, [
        ...(webhook.subscriptions ?? []),
        ...missing,
      ]);
    }
  } else plan(false, `account webhook ${webhook.id} posts to ${webhookUrl}`);
  if (webhook && !options.dryRun && !webhook.secret) {
    actionsNeeded.push(
      'the account webhook has no secret: Chatwoot older than 4.12 does not sign them. Upgrade Chatwoot.',
    );
  }

  // The insight panel as a Dashboard App; its URL carries the account's analytics token.
  const existingToken = env.get(variables.analyticsToken);
  const analyticsToken =
    existingToken || (options.dryRun ? '' : crypto.randomBytes(24).toString('base64url'));
  const panelUrl = `${options.panelUrl}?token=${encodeURIComponent(analyticsToken)}`;
  const shownPanelUrl = `${options.panelUrl}?token=…`;
  const apps = await api.listDashboardApps();
  const app = apps.find((candidate) =>
    (candidate.content ?? []).some((frame) => (frame.url ?? '').split('?')[0] === options.panelUrl),
  );
  const appUrl = app?.content?.find((frame) => (frame.url ?? '').split('?')[0] === options.panelUrl)?.url;
  if (!app) {
    plan(true, `install Dashboard App "${DASHBOARD_APP_TITLE}" → ${shownPanelUrl}`);
    if (!options.dryRun) await api.createDashboardApp(DASHBOARD_APP_TITLE, panelUrl);
  } else if (appUrl !== panelUrl) {
    plan(true, `point Dashboard App ${app.id} at ${shownPanelUrl} (its token differs from .env's)`);
    if (!options.dryRun) await api.updateDashboardAppUrl(app.id, panelUrl);
  } else plan(false, `Dashboard App ${app.id} "${app.title ?? ''}" shows the insight panel`);

  for (const inbox of assigned) {
    const check = checkReengagementTemplate(
      await api.getInbox(inbox.id),
      inbox.assistant,
      config.reengagementTemplate(inbox.assistant),
    );
    log(`  ${check.ok ? 'ok    ' : 'TODO  '}${check.summary}`);
    if (!check.ok) actionsNeeded.push(`${check.summary}. ${check.instructions}`);
  }

  // Files: ids into the YAML, secrets into .env.
  const configText = config.render({
    accountId: options.accountId,
    botId: bot?.id ?? config.configuredBotId(options.accountId) ?? 1,
    inboxes: assigned,
  });
  if (configText !== config.text || (options.dryRun && !bot)) {
    plan(true, `write the account's ids into ${options.configFile}`);
    if (!options.dryRun) fs.writeFileSync(options.configFile, configText);
  } else plan(false, `${options.configFile} has the account's ids`);

  const secrets: Record<string, string> = {};
  const put = (name: string, value: string | null | undefined) => {
    if (value) secrets[name] = value;
  };
  put(variables.botToken, bot?.access_token);
  put(variables.botSecret, bot?.secret);
  put(variables.accountWebhookSecret, webhook?.secret);
  put(variables.analyticsToken, analyticsToken);
  // The bot's token may not read history, contacts or templates: an administrator's token does.
  if (!env.get(variables.userToken)) put(variables.userToken, options.adminToken);
  const envText = env.render(secrets);
  const pendingNames = Object.keys(secrets).filter((name) => env.get(name) !== secrets[name]);
  if (options.dryRun && !bot) pendingNames.push(variables.botToken, variables.botSecret);
  if (options.dryRun && !webhook) pendingNames.push(variables.accountWebhookSecret);
  if (!existingToken && options.dryRun) pendingNames.push(variables.analyticsToken);
  const names = [...new Set(pendingNames)];
  if (names.length > 0) {
    plan(true, `write ${names.join(', ')} into ${options.envFile}`);
    if (!options.dryRun) writeEnvFile(options.envFile, envText);
  } else plan(false, `${options.envFile} has the secrets`);

  log(
    options.dryRun
      ? `Dry run: ${changes} change(s) planned, nothing done.`
      : changes === 0
        ? 'Nothing to change.'
        : `Done: ${changes} change(s). Restart the services to load them: docker compose up -d`,
  );
  for (const action of actionsNeeded) log(`ACTION NEEDED: ${action}`);
  return { changes, actionsNeeded };
}

function chooseInboxes(
  options: ConnectOptions,
  inboxes: ChatwootInbox[],
  configured: ConfigInbox[],
): ChatwootInbox[] {
  const whatsapp = inboxes.filter((inbox) => inbox.channel_type === 'Channel::Whatsapp');
  const list = whatsapp.map((inbox) => `${inbox.id} "${inbox.name}"`).join(', ') || 'none';
  if (options.inboxIds.length > 0) {
    return options.inboxIds.map((id) => {
      const inbox = whatsapp.find((candidate) => candidate.id === id);
      if (!inbox)
        throw new ConnectUsageError(
          `inbox ${id} is not a WhatsApp inbox of the account (WhatsApp inboxes: ${list})`,
        );
      return inbox;
    });
  }
  const fromConfig = whatsapp.filter((inbox) => configured.some((entry) => entry.id === inbox.id));
  if (fromConfig.length > 0) return fromConfig;
  if (whatsapp.length === 1) return whatsapp;
  throw new ConnectUsageError(
    whatsapp.length === 0
      ? 'the account has no WhatsApp inbox: create one in Chatwoot first (Settings → Inboxes → Add inbox → WhatsApp)'
      : `choose the WhatsApp inboxes with --inbox (WhatsApp inboxes: ${list})`,
  );
}

function assignAssistants(
  options: ConnectOptions,
  chosen: ChatwootInbox[],
  config: SwitchboardConfigFile,
): ConfigInbox[] {
  const configured = config.configuredInboxes(options.accountId);
  const names = config.assistantNames();
  return chosen.map((inbox) => {
    const listed = configured.find((entry) => entry.id === inbox.id);
    if (listed) return listed;
    const assistant = options.assistant ?? (names.length === 1 ? names[0] : undefined);
    if (!assistant)
      throw new ConnectUsageError(
        `choose the assistant with --assistant (the config has: ${names.join(', ') || 'none'})`,
      );
    if (!names.includes(assistant))
      throw new ConnectUsageError(`the config has no assistant "${assistant}" (it has: ${names.join(', ')})`);
    return { id: inbox.id, assistant };
  });
}
