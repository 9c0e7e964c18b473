import type { ClickHouseClient } from '@clickhouse/client';

/**
 * chdb's connection ignores the client's `database` option: without this every local-mode
 * query ran in `default`, whatever `clickhouse.database` said, and two test databases in one
 * process shared their tables. `USE` holds for the chdb session (one per connection), so it is
 * issued once, after the database exists.
 *
 * Data written by earlier versions sits in `default`. It is moved over on the first start:
 * tables are renamed into the database; views and materialized views are dropped, because
 * they keep their `default.` references after a rename, and the migrations table too, so the
 * migrations run again and recreate the views in the right database (their statements are
 * idempotent, and a backfill that lands twice is one row under FINAL).
 */
export async function selectLocalDatabase(client: ClickHouseClient, database: string): Promise<void> {
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
  if (database !== 'default') await adoptTablesFromDefault(client, database);
  await client.command({ query: `USE ${database}` });
}

async function adoptTablesFromDefault(client: ClickHouseClient, database: string): Promise<void> {
  const tables = await client
    .query({
      query: `SELECT database, name, engine FROM system.tables
              WHERE database IN ('default', {database:String}) AND NOT is_temporary`,
      query_params: { database },
      format: 'JSONEachRow',
    })
    .then((result) => result.json<{ database: string; name: string; engine: string }>());
  const inDefault = tables.filter((table) => table.database === 'default');
  const alreadyThere = tables.some((table) => table.database === database);
  if (alreadyThere || !inDefault.some((table) => table.name === 'schema_migrations')) return;
  const rebuiltByMigrations = (table: { name: string; engine: string }) =>
    table.engine === 'View' || table.engine === 'MaterializedView' || table.name === 'schema_migrations';
  // Tables first: a crash in between leaves the data in the database (a start then finds it in
  // use and the migrations rebuild the views) and only stale views behind in `default`.
  const moved = inDefault.filter((table) => !rebuiltByMigrations(table));
  if (moved.length > 0) {
    await client.command({
      query: `RENAME TABLE ${moved.map((table) => `default.\`${table.name}\` TO ${database}.\`${table.name}\``).join(', ')}`,
    });
  }
  for (const table of inDefault.filter(rebuiltByMigrations)) {
    await client.command({ query: `DROP TABLE default.\`${table.name}\`` });
  }
}
