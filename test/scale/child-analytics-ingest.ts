/**
 * One analytics-ingest process of a scale-out run (account webhooks + the outbox shipper) on the
 * shared PostgreSQL, shipping to a ClickHouse of its own (chdb: one data dir per process). On
 * "COUNT" it prints how many events it holds; on "IDS" the event ids and the CPU milliseconds it
 * spent, then it stops.
 */
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import {
  connectClickHouse,
  connectPostgres,
  createLogger,
  migrateClickHouse,
  switchboardConfigSchema,
} from '@switchboard/core';
import { buildAnalyticsIngest } from '@switchboard/analytics';
import { clickhouseMigrations } from '@switchboard/analytics/migrations';

const config = switchboardConfigSchema.parse(JSON.parse(process.env.SCALE_CONFIG!));
const schema = process.env.SCALE_DB_SCHEMA;
const logger = createLogger({ level: 'warn', format: 'json', name: `analytics-ingest-${process.pid}` });
const db = await connectPostgres(
  { ...config.database, url: process.env.SCALE_DB_URL!, poolSize: 3 },
  { ...(schema ? { schema } : {}), whenLocalInUse: 'connect' },
);
const clickhouse = await connectClickHouse({
  ...config.clickhouse,
  database: 'scale',
  local: { dataDir: path.join(os.tmpdir(), `switchboard-scale-chdb-${process.pid}`) },
});
await migrateClickHouse(clickhouse, clickhouseMigrations);
const app = buildAnalyticsIngest({ config, logger, db, clickhouse, startShipper: true });
const url = await app.listen({ host: '127.0.0.1', port: 0 });
const ready = process.cpuUsage();
process.stdout.write(`READY ${url} ${(ready.user + ready.system) / 1000}\n`);

const ids = async () =>
  (
    await (
      await clickhouse.client.query({ query: 'SELECT toString(id) AS id FROM events', format: 'JSONEachRow' })
    ).json<{
      id: string;
    }>()
  ).map((row) => row.id);

for await (const line of readline.createInterface({ input: process.stdin })) {
  if (line === 'COUNT') process.stdout.write(`COUNT ${(await ids()).length}\n`);
  if (line === 'IDS') {
    await app.close();
    const cpu = process.cpuUsage();
    process.stdout.write(
      `IDS ${JSON.stringify({ ids: await ids(), cpuMs: (cpu.user + cpu.system) / 1000 })}\n`,
    );
    await clickhouse.close();
    await db.close();
    process.exit(0);
  }
}
