import {
  connectClickHouse,
  connectPostgres,
  createLogger,
  loadConfig,
  migrateClickHouse,
  migratePostgres,
  runMain,
} from '@switchboard/core';
import { ALL_CLICKHOUSE_MIGRATIONS, ALL_POSTGRES_MIGRATIONS } from './migrations.js';

/** `npm run migrate`: applies every part's PostgreSQL and ClickHouse migrations, then exits. */
await runMain('migrate', async (onClose) => {
  const { config } = loadConfig();
  const logger = createLogger({ ...config.logging, name: 'migrate' });
  const db = await connectPostgres(config.database, { whenLocalInUse: 'connect' });
  onClose({ name: 'postgres', close: () => db.close() });
  const pg = await migratePostgres(db, ALL_POSTGRES_MIGRATIONS, { log: (line) => logger.info(line) });
  const clickhouse = await connectClickHouse(config.clickhouse);
  onClose({ name: 'clickhouse', close: () => clickhouse.close() });
  const ch = await migrateClickHouse(clickhouse, ALL_CLICKHOUSE_MIGRATIONS, {
    log: (line) => logger.info(line),
  });
  const count = pg.reduce((sum, part) => sum + part.applied.length, 0) + ch.length;
  logger.info(count === 0 ? 'everything is up to date' : `applied ${count} migrations`);
  await clickhouse.close();
  await db.close();
});
