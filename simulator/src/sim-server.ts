import { createChatwootSimulator } from './simulator.js';
import { seedDemo } from './seed-demo.js';

/**
 * `npm run sim`: the simulator standalone on SIMULATOR_PORT (default 3300) with a demo account. The bot
 * URL comes from SIMULATOR_BOT_URL (default the agent-bot's local webhook); tokens and secret can be
 * pinned with SIMULATOR_BOT_TOKEN / SIMULATOR_BOT_SECRET / SIMULATOR_AGENT_TOKEN so a local config file
 * can refer to them.
 */
const port = Number(process.env.SIMULATOR_PORT ?? 3300);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`SIMULATOR_PORT must be a port number, got ${process.env.SIMULATOR_PORT}`);
  process.exit(1);
}
const simulator = await createChatwootSimulator({
  port,
  host: process.env.SIMULATOR_HOST ?? '127.0.0.1',
  behaviour: {
    signWebhooks: process.env.SIMULATOR_UNSIGNED !== 'true',
    autoReceipts: process.env.SIMULATOR_AUTO_RECEIPTS !== 'false',
    // The demo bot runs on this machine, so private hosts are allowed unless
    // SAFE_FETCH_ALLOW_PRIVATE_NETWORK=false asks for Chatwoot's default (refused).
    blockPrivateNetwork: process.env.SAFE_FETCH_ALLOW_PRIVATE_NETWORK === 'false',
    // A playground left running for days keeps the latest traffic only.
    recorderLimit: 20_000,
  },
});
const demo = seedDemo(simulator, {
  botUrl: process.env.SIMULATOR_BOT_URL ?? 'http://127.0.0.1:3000/chatwoot/webhook',
  botSecret: process.env.SIMULATOR_BOT_SECRET,
  botToken: process.env.SIMULATOR_BOT_TOKEN,
  agentToken: process.env.SIMULATOR_AGENT_TOKEN,
});

const lines = [
  `Chatwoot simulator (v4.15 behaviour) listening on ${simulator.url}`,
  ``,
  `account        ${demo.account.id} "${demo.account.name}"`,
  `whatsapp inbox ${demo.whatsappInbox.id} "${demo.whatsappInbox.name}" templates: ${demo.whatsappInbox.messageTemplates.map((t) => t.name).join(', ')}`,
  `web inbox      ${demo.webInbox.id} "${demo.webInbox.name}"`,
  `agent bot      ${demo.bot.id} "${demo.bot.name}" -> ${demo.bot.outgoingUrl}`,
  `  api_access_token ${demo.bot.accessToken}`,
  `  webhook secret   ${demo.bot.secret ?? '(none: unsigned webhooks)'}`,
  `agent          ${demo.agent.id} "${demo.agent.name}" api_access_token ${demo.agent.accessToken}`,
  `administrator  ${demo.admin.id} "${demo.admin.name}" api_access_token ${demo.admin.accessToken}`,
  ``,
  `API base       ${simulator.url}/api/v1/accounts/${demo.account.id}`,
  `send as customer:`,
  `  curl -s -X POST ${simulator.url}/_simulator/customer/messages -H 'content-type: application/json' \\`,
  `    -d '{"inboxId":${demo.whatsappInbox.id},"phone":"+5511987654321","name":"Maria","kind":"text","text":"Oi!"}'`,
  `inspect        ${simulator.url}/_simulator/webhooks  ${simulator.url}/_simulator/api-calls  ${simulator.url}/_simulator/channel-sends`,
];
console.log(lines.join('\n'));

const shutdown = async (): Promise<void> => {
  await simulator.close();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
