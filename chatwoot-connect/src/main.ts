import path from 'node:path';
import { parseArgs } from 'node:util';
import { ChatwootCallError } from './chatwoot-admin-api.js';
import { connectChatwoot, ConnectUsageError, type ConnectOptions } from './connect-chatwoot.js';

const USAGE = `Usage: npm run connect-chatwoot -- --chatwoot-url URL --account ID [options]
       (or: npx switchboard-connect ...)

Wires Switchboard into a Chatwoot account: creates or finds the agent bot, connects it to the WhatsApp
inboxes, registers the analytics account webhook, installs the insight panel as a Dashboard App, checks
each inbox's re-engagement template, then writes the ids into the config and the secrets into .env.
A second run changes nothing.

  --chatwoot-url URL     Chatwoot as this machine reaches it (default: $CHATWOOT_URL; in the compose
                         network http://chatwoot-web:3000, from elsewhere https://chat.example.com)
  --account ID           the Chatwoot account id (in the address bar: /app/accounts/ID/...)
  --token TOKEN          an administrator's access token (Chatwoot → Profile settings → Access token);
                         better: CHATWOOT_ADMIN_TOKEN in the environment (keeps it out of shell history)
  --inbox ID             a WhatsApp inbox to connect (repeatable; default: the config's, else the only one)
  --assistant NAME       the assistant that answers new inboxes (default: the config's only assistant)
  --panel-url URL        the insight panel as agents' browsers reach it
                         (default: https://$CHATWOOT_DOMAIN/switchboard/panel)
  --bot-url URL          where Chatwoot posts to the bot (default: http://agent-bot:3100/webhooks/chatwoot)
  --analytics-url URL    analytics-ingest as Chatwoot reaches it (default: http://analytics-ingest:3201)
  --bot-name NAME        the agent bot's name in Chatwoot (default: Switchboard)
  --config FILE          the config YAML (default: $SWITCHBOARD_CONFIG, else config/production.yaml)
  --env-file FILE        the .env file (default: .env)
  --dry-run              print the plan, change nothing
`;

/** Runs the command; returns the exit code (0 done, 1 a Chatwoot call failed, 2 bad usage). */
export async function main(
  argv: string[],
  env: Record<string, string | undefined>,
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  err: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<number> {
  let options: ConnectOptions;
  try {
    options = parseOptions(argv, env);
  } catch (error) {
    if (error instanceof HelpRequested) {
      out(USAGE);
      return 0;
    }
    err(`switchboard-connect: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  try {
    await connectChatwoot(options, out);
    return 0;
  } catch (error) {
    if (error instanceof ChatwootCallError) {
      err(`switchboard-connect: Chatwoot call failed: ${error.message}`);
      err('Nothing after that call was done; fix the cause and run the command again (it resumes).');
      return 1;
    }
    if (error instanceof ConnectUsageError) {
      err(`switchboard-connect: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

class HelpRequested extends Error {}

function parseOptions(argv: string[], env: Record<string, string | undefined>): ConnectOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      'chatwoot-url': { type: 'string' },
      account: { type: 'string' },
      token: { type: 'string' },
      inbox: { type: 'string', multiple: true },
      assistant: { type: 'string' },
      'panel-url': { type: 'string' },
      'bot-url': { type: 'string' },
      'analytics-url': { type: 'string' },
      'bot-name': { type: 'string' },
      config: { type: 'string' },
      'env-file': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) throw new HelpRequested();
  const chatwootUrl = httpUrl('--chatwoot-url (or CHATWOOT_URL)', values['chatwoot-url'] ?? env.CHATWOOT_URL);
  const account = Number(values.account);
  if (!Number.isInteger(account) || account <= 0) throw new Error('--account must be a Chatwoot account id');
  const adminToken = values.token ?? env.CHATWOOT_ADMIN_TOKEN;
  if (!adminToken)
    throw new Error("an administrator's access token is needed: CHATWOOT_ADMIN_TOKEN or --token");
  const inboxIds = (values.inbox ?? []).map((value) => {
    const id = Number(value);
    if (!Number.isInteger(id) || id <= 0) throw new Error(`--inbox ${value} is not an inbox id`);
    return id;
  });
  const domain = env.CHATWOOT_DOMAIN;
  const panelUrl = values['panel-url'] ?? (domain ? `https://${domain}/switchboard/panel` : undefined);
  return {
    chatwootUrl,
    accountId: account,
    adminToken,
    inboxIds,
    ...(values.assistant ? { assistant: values.assistant } : {}),
    botName: values['bot-name'] ?? 'Switchboard',
    botOutgoingUrl: httpUrl('--bot-url', values['bot-url'] ?? 'http://agent-bot:3100/webhooks/chatwoot'),
    analyticsUrl: httpUrl('--analytics-url', values['analytics-url'] ?? 'http://analytics-ingest:3201'),
    panelUrl: httpUrl('--panel-url (or CHATWOOT_DOMAIN)', panelUrl),
    configFile: path.resolve(values.config ?? env.SWITCHBOARD_CONFIG ?? 'config/production.yaml'),
    envFile: path.resolve(values['env-file'] ?? '.env'),
    dryRun: values['dry-run'],
  };
}

function httpUrl(flag: string, value: string | undefined): string {
  if (!value) throw new Error(`${flag} is required`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${flag} ${value} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${flag} must be http(s)`);
  return value.replace(/\/+$/, '');
}
