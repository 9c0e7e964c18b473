/**
 * One agent-bot process of a scale-out run: config (JSON), database URL and schema come from the
 * environment; it answers with the EchoResponder and prints "READY <url> <cpu ms>" once it listens.
 */
import { connectPostgres, createLogger, switchboardConfigSchema } from '@switchboard/core';
import { startAgentBot } from '@switchboard/agent-bot';
import { EchoResponder, SCALE_TUNING } from './scale-harness.js';

const config = switchboardConfigSchema.parse(JSON.parse(process.env.SCALE_CONFIG!));
const schema = process.env.SCALE_DB_SCHEMA;
const db = await connectPostgres(
  {
    ...config.database,
    url: process.env.SCALE_DB_URL!,
    poolSize: Number(process.env.SCALE_POOL_SIZE ?? '4'),
  },
  { ...(schema ? { schema } : {}), whenLocalInUse: 'connect' },
);
const bot = await startAgentBot({
  config,
  db,
  logger: createLogger({ level: 'warn', format: 'json', name: `agent-bot-${process.pid}` }),
  responder: new EchoResponder(),
  tuning: SCALE_TUNING,
});
const ready = process.cpuUsage();
process.stdout.write(`READY ${bot.url} ${(ready.user + ready.system) / 1000}\n`);
// The CPU this process spent (milliseconds), for the cost of a turn in the sizing table.
process.on('SIGTERM', () => {
  const cpu = process.cpuUsage();
  process.stdout.write(`CPU ${(cpu.user + cpu.system) / 1000}\n`);
  void bot
    .close()
    .then(() => db.close())
    .finally(() => process.exit(0));
});
