/**
 * A whole agent-bot in a child process, for the crash test: the parent kills it with SIGKILL in
 * the middle of a turn. Config (JSON), database URL and schema come from the environment; the
 * responder answers after CHILD_RESPONDER_DELAY_MS and prints "RESPONDING" when it starts.
 */
import { connectPostgres, createLogger, switchboardConfigSchema } from '@switchboard/core';
import { startAgentBot } from '../src/start-agent-bot.js';
import { TEST_TUNING } from './harness.js';
import { ScriptedResponder } from './scripted-responder.js';

const config = switchboardConfigSchema.parse(JSON.parse(process.env.CHILD_CONFIG!));
const schema = process.env.CHILD_DB_SCHEMA;
const db = await connectPostgres(
  { ...config.database, url: process.env.CHILD_DB_URL!, poolSize: 3 },
  { ...(schema ? { schema } : {}), whenLocalInUse: 'connect' },
);
const responder = new ScriptedResponder();
responder.delayMs = Number(process.env.CHILD_RESPONDER_DELAY_MS ?? '0');
const respond = responder.respond.bind(responder);
responder.respond = async (context) => {
  process.stdout.write('RESPONDING\n');
  return respond(context);
};
const bot = await startAgentBot({
  config,
  db,
  logger: createLogger({ level: 'warn', format: 'json', name: 'child-agent-bot' }),
  responder,
  tuning: TEST_TUNING,
});
process.stdout.write(`READY ${bot.url}\n`);
