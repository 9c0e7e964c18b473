import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT, loadConfig } from '@switchboard/core';
import { createChatwootSimulator, type ChatwootSimulator, type UserRecord } from '@switchboard/simulator';
import { main } from './main.js';

/**
 * End to end against the Chatwoot simulator (which serves the administrator endpoints as Chatwoot
 * v4.15 does): the shipped production.yaml example and .env.example as the operator copies them.
 */
let sim: ChatwootSimulator;
let dir: string;
let admin: UserRecord;
let agent: UserRecord;
let accountId: number;
let salesInbox: number;
let supportInbox: number;

const TEMPLATE = {
  name: 'conversation_follow_up',
  language: 'en',
  status: 'APPROVED',
  category: 'UTILITY',
  components: [{ type: 'BODY', text: 'Hi {{1}}, {{2}} here: shall we continue?' }],
};

beforeEach(async () => {
  sim = await createChatwootSimulator({ clock: { frozenAt: Date.parse('2026-06-20T14:00:00.000Z') } });
  const account = sim.seed.account({ name: 'Acme' });
  accountId = account.id;
  salesInbox = sim.seed.inbox({ accountId, name: 'WhatsApp Sales', messageTemplates: [TEMPLATE] }).id;
  supportInbox = sim.seed.inbox({ accountId, name: 'WhatsApp Support', messageTemplates: [] }).id;
  sim.seed.inbox({ accountId, name: 'Website', channel: 'web' });
  admin = sim.seed.user({ accountId, name: 'Ada', role: 'administrator' });
  agent = sim.seed.user({ accountId, name: 'Ana' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'connect-chatwoot-'));
  fs.copyFileSync(path.join(REPO_ROOT, 'config/examples/production.yaml'), path.join(dir, 'production.yaml'));
  fs.copyFileSync(path.join(REPO_ROOT, '.env.example'), path.join(dir, '.env'));
});

afterEach(async () => {
  await sim.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[], token = admin.accessToken) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    [
      '--chatwoot-url',
      sim.url,
      '--account',
      String(accountId),
      '--panel-url',
      'https://chat.example.com/switchboard/panel',
      '--config',
      path.join(dir, 'production.yaml'),
      '--env-file',
      path.join(dir, '.env'),
      ...args,
    ],
    { CHATWOOT_ADMIN_TOKEN: token },
    (line) => out.push(line),
    (line) => err.push(line),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const files = () => ({
  yaml: fs.readFileSync(path.join(dir, 'production.yaml'), 'utf8'),
  env: fs.readFileSync(path.join(dir, '.env'), 'utf8'),
});
const envValue = (name: string) => new RegExp(`^${name}=(.*)$`, 'm').exec(files().env)?.[1];
const changingCalls = () => sim.recorder.apiCalls.filter((call) => call.method !== 'GET');

describe('npm run connect-chatwoot', () => {
  it('creates the bot, connects the inboxes, registers the webhook and the panel, and writes ids and secrets', async () => {
    const first = await run(['--inbox', String(salesInbox), '--inbox', String(supportInbox)]);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);

    const bots = [...sim.store.agentBots.values()];
    expect(bots).toHaveLength(1);
    const bot = bots[0]!;
    expect(bot).toMatchObject({
      name: 'Switchboard',
      outgoingUrl: 'http://agent-bot:3100/webhooks/chatwoot',
    });
    for (const inbox of [salesInbox, supportInbox]) {
      expect(sim.store.agentBotInboxes.get(inbox)).toMatchObject({ agentBotId: bot.id, status: 'active' });
    }
    const webhooks = [...sim.store.accountWebhooks.values()];
    expect(webhooks).toEqual([
      expect.objectContaining({
        url: `http://analytics-ingest:3201/webhooks/chatwoot/accounts/${accountId}`,
        subscriptions: [
          'conversation_created',
          'conversation_status_changed',
          'conversation_updated',
          'message_created',
        ],
      }),
    ]);

    // Secrets in .env, references in the YAML.
    expect(envValue('CHATWOOT_BOT_TOKEN')).toBe(bot.accessToken);
    expect(envValue('CHATWOOT_BOT_SECRET')).toBe(bot.secret);
    expect(envValue('CHATWOOT_ACCOUNT_WEBHOOK_SECRET')).toBe(webhooks[0]!.secret);
    expect(envValue('CHATWOOT_USER_TOKEN')).toBe(admin.accessToken);
    const analyticsToken = envValue('ANALYTICS_API_TOKEN')!;
    expect(analyticsToken).toMatch(/^[\w-]{32}$/);
    const { yaml } = files();
    for (const secret of [
      bot.accessToken,
      bot.secret!,
      webhooks[0]!.secret!,
      analyticsToken,
      admin.accessToken,
    ]) {
      expect(yaml).not.toContain(secret);
    }

    // The panel, framed with the account's analytics token.
    const apps = await fetch(`${sim.url}/api/v1/accounts/${accountId}/dashboard_apps`, {
      headers: { api_access_token: admin.accessToken },
    }).then((response) => response.json());
    expect(apps).toEqual([
      expect.objectContaining({
        title: 'Switchboard insight',
        content: [
          { type: 'frame', url: `https://chat.example.com/switchboard/panel?token=${analyticsToken}` },
        ],
      }),
    ]);

    // The written config loads with the written .env, and names what Chatwoot created.
    const env = Object.fromEntries(
      files()
        .env.split('\n')
        .flatMap((line) => (/^[A-Z_]+=/.test(line) ? [line.split(/=(.*)/s).slice(0, 2)] : [])),
    ) as Record<string, string>;
    const { config } = loadConfig({
      file: path.join(dir, 'production.yaml'),
      env: {
        ...env,
        DATABASE_URL: 'postgres://x@db/x',
        CLICKHOUSE_URL: 'http://ch:8123',
        CLICKHOUSE_PASSWORD: 'p',
        CHATWOOT_DOMAIN: 'chat.example.com',
        OPENAI_API_KEY: 'k',
        ANTHROPIC_API_KEY: 'k',
      },
    });
    const account = config.chatwoot.accounts.find((entry) => entry.id === accountId)!;
    expect(account.bot).toMatchObject({
      id: bot.id,
      accessToken: bot.accessToken,
      webhookSecret: bot.secret,
    });
    expect(account.accountWebhookSecret).toBe(webhooks[0]!.secret);
    expect(account.inboxes).toEqual([
      { id: salesInbox, assistant: 'support', channel: 'whatsapp' },
      { id: supportInbox, assistant: 'support', channel: 'whatsapp' },
    ]);

    // The support inbox has no approved follow-up template: the command says what to create.
    expect(first.out).toContain(
      `ok    inbox ${salesInbox} "WhatsApp Sales": template "conversation_follow_up" (en) is approved`,
    );
    expect(first.out).toMatch(
      /ACTION NEEDED: inbox \d+ "WhatsApp Support": no template "conversation_follow_up" \(en\).*category Utility, name conversation_follow_up, language en, a body that uses \{\{1\}\}, \{\{2\}\} \(filled with 1 = \{\{customer.name\}\}, 2 = ACME\)/,
    );
    expect(first.out).not.toContain(analyticsToken);
    expect(first.out).not.toContain(bot.accessToken);
  });

  it('changes nothing on a second run: no Chatwoot write, files byte for byte the same', async () => {
    expect((await run(['--inbox', String(salesInbox)])).code).toBe(0);
    const before = files();
    const writes = changingCalls().length;
    expect(writes).toBe(4); // agent bot, set_agent_bot, webhook, dashboard app

    const second = await run([]); // the config now lists the inbox
    expect(second.code).toBe(0);
    expect(second.out).toContain('Nothing to change.');
    expect(changingCalls()).toHaveLength(writes);
    expect(files()).toEqual(before);
    expect(sim.store.agentBots.size).toBe(1);
  });

  it('repairs what drifted: a webhook missing an event, another bot on the inbox', async () => {
    expect((await run(['--inbox', String(salesInbox)])).code).toBe(0);
    const webhook = [...sim.store.accountWebhooks.values()][0]!;
    webhook.subscriptions = ['message_created'];
    const other = sim.seed.agentBot({
      accountId,
      name: 'Old bot',
      outgoingUrl: 'https://old.example.com/bot',
    });
    sim.seed.connectAgentBot(salesInbox, other.id);
    const again = await run([]);
    expect(again.code).toBe(0);
    expect(again.out).toContain(
      `connect inbox ${salesInbox} "WhatsApp Sales" to the agent bot (replacing agent bot ${other.id})`,
    );
    expect(again.out).toContain(
      `subscribe account webhook ${webhook.id} also to conversation_created, conversation_status_changed, conversation_updated`,
    );
    expect(webhook.subscriptions).toHaveLength(4);
    expect(sim.store.agentBotInboxes.get(salesInbox)?.agentBotId).not.toBe(other.id);
  });

  it('--dry-run prints the plan and changes nothing', async () => {
    const before = files();
    const dry = await run(['--inbox', String(salesInbox), '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain(
      'would create agent bot "Switchboard" posting to http://agent-bot:3100/webhooks/chatwoot',
    );
    expect(dry.out).toContain(`would connect inbox ${salesInbox} "WhatsApp Sales" to the agent bot`);
    expect(dry.out).toContain('would create account webhook');
    expect(dry.out).toContain(
      'would install Dashboard App "Switchboard insight" → https://chat.example.com/switchboard/panel?token=…',
    );
    expect(dry.out).toMatch(/would write .*CHATWOOT_BOT_TOKEN, CHATWOOT_BOT_SECRET.* into /);
    expect(dry.out).toMatch(/Dry run: 6 change\(s\) planned, nothing done\./);
    expect(changingCalls()).toEqual([]);
    expect(files()).toEqual(before);
  });

  it('a failing call names the call and quotes Chatwoot, and nothing is written', async () => {
    const before = files();
    const failed = await run([
      '--inbox',
      String(salesInbox),
      '--bot-url',
      `https://bot.example.com/${'x'.repeat(2048)}`,
    ]);
    expect(failed.code).toBe(1);
    expect(failed.err).toContain(
      `Chatwoot call failed: POST /api/v1/accounts/${accountId}/agent_bots answered HTTP 422: ` +
        '{"message":"Outgoing url is too long (maximum is 2048 characters)","attributes":["outgoing_url"]}',
    );
    expect(files()).toEqual(before);

    const notAdmin = await run(['--inbox', String(salesInbox)], agent.accessToken);
    expect(notAdmin.code).toBe(2); // an agent sees no inboxes it is not a member of
    const badToken = await run([], 'not-a-token');
    expect(badToken.code).toBe(1);
    expect(badToken.err).toContain(
      `GET /api/v1/accounts/${accountId}/inboxes answered HTTP 401: {"error":"Invalid Access Token"}`,
    );
    const errors: string[] = [];
    const closedPort = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const unreachable = await main(
      [
        '--chatwoot-url',
        `http://127.0.0.1:${closedPort}`,
        '--account',
        '1',
        '--panel-url',
        'https://p.example/panel',
      ],
      { CHATWOOT_ADMIN_TOKEN: 'x', SWITCHBOARD_CONFIG: path.join(dir, 'production.yaml') },
      () => undefined,
      (line) => errors.push(line),
    );
    expect(errors[0]).toBe(
      'switchboard-connect: Chatwoot call failed: GET /api/v1/accounts/1/inboxes failed: ECONNREFUSED',
    );
    expect(unreachable).toBe(1);
  });

  it('refuses an inbox that is not WhatsApp, naming the WhatsApp ones', async () => {
    const web = [...sim.store.inboxes.values()].find((inbox) => inbox.channelType === 'Channel::WebWidget')!;
    const refused = await run(['--inbox', String(web.id)]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(
      `inbox ${web.id} is not a WhatsApp inbox of the account (WhatsApp inboxes: ${salesInbox} "WhatsApp Sales", ${supportInbox} "WhatsApp Support")`,
    );
    const ambiguous = await run([]);
    expect(ambiguous.err).toContain('choose the WhatsApp inboxes with --inbox');
  });
});
