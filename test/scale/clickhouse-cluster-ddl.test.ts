import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ddlForMode, ddlModeFor, splitStatements, type ClickHouseDdlMode } from '@switchboard/core';
import { createTestClickHouse, type TestClickHouse } from '@switchboard/core/testing';
import { clickhouseMigrations } from '@switchboard/analytics/migrations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * analytics' ClickHouse migrations as each mode runs them. No ClickHouse cluster can run here,
 * so every generated statement is parsed by real ClickHouse (chdb's formatQuery) and its shape
 * asserted; a migration added later is checked the same way, file by file.
 */
const dir = fileURLToPath(clickhouseMigrations.dir as URL);
const files = fs
  .readdirSync(dir)
  .filter((name) => /^\d{4}_[\w-]+\.sql$/.test(name))
  .sort();
const statements = files.flatMap((file) => splitStatements(fs.readFileSync(path.join(dir, file), 'utf8')));
const ddl = (mode: ClickHouseDdlMode) => statements.flatMap((statement) => ddlForMode(statement, mode));
const cluster = ddl(ddlModeFor('switchboard_cluster'));
const single = ddl(ddlModeFor(null));
const mergeTreeTables = statements
  .map(
    (statement) => /^CREATE TABLE IF NOT EXISTS (\w+)[\s\S]*ENGINE\s*=\s*\w*MergeTree/i.exec(statement)?.[1],
  )
  .filter((name): name is string => Boolean(name));

describe('ClickHouse migrations per mode', () => {
  let ch: TestClickHouse;
  beforeAll(async () => {
    ch = await createTestClickHouse({ migrate: false });
  });
  afterAll(async () => ch?.drop());

  const parses = async (query: string) => {
    const result = await ch.client.query({
      query: 'SELECT formatQuery({q:String}) AS formatted',
      query_params: { q: query },
      format: 'JSONEachRow',
    });
    return (await result.json<{ formatted: string }>())[0]!.formatted;
  };

  it('finds the tables it is about', () => {
    expect(mergeTreeTables).toEqual(expect.arrayContaining(['events', 'conversations']));
  });

  it('runs the files as written on one server, chdb and ClickHouse Cloud: no ON CLUSTER, no Replicated arguments', () => {
    expect(single).toEqual(statements);
    for (const statement of single) {
      expect(statement).not.toMatch(/ON CLUSTER|Replicated\w*MergeTree\(|Distributed\(/);
    }
  });

  it('gives every statement a cluster form, ON CLUSTER, that ClickHouse parses', async () => {
    for (const statement of cluster) {
      if (!/^INSERT/i.test(statement)) expect(statement).toMatch(/ON CLUSTER switchboard_cluster/);
      await expect(parses(statement)).resolves.toMatch(/ON CLUSTER switchboard_cluster|^INSERT/);
    }
  });

  it('replicates each MergeTree table, keeps the dedup window, and puts a Distributed table under its name', () => {
    for (const table of mergeTreeTables) {
      const local = cluster.find((s) => s.startsWith(`CREATE TABLE IF NOT EXISTS ${table}_local `));
      expect(local, table).toMatch(
        new RegExp(
          `ENGINE = Replicated\\w*MergeTree\\('/clickhouse/tables/\\{shard\\}/\\{database\\}/${table}_local', '\\{replica\\}'`,
        ),
      );
      expect(local).toMatch(/replicated_deduplication_window = 10000/);
      const distributed = cluster.find((s) => s.startsWith(`CREATE TABLE IF NOT EXISTS ${table} ON CLUSTER`));
      expect(distributed, table).toMatch(
        new RegExp(
          `AS ${table}_local\\nENGINE = Distributed\\(switchboard_cluster, currentDatabase\\(\\), ${table}_local, cityHash64\\(`,
        ),
      );
    }
  });

  it('fires the materialized views on the local tables the Distributed inserts land in', () => {
    const views = cluster.filter((s) => s.startsWith('CREATE MATERIALIZED VIEW'));
    expect(views.length).toBeGreaterThan(0);
    for (const view of views) {
      expect(view).toMatch(/ TO \w+_local AS/);
      expect(view).not.toMatch(/\bFROM (?!\w+_local\b)\w+/);
    }
  });

  it('builds the conversations summary over the Distributed conversations table (the whole cluster)', () => {
    const summary = cluster.find((s) => s.startsWith('CREATE VIEW IF NOT EXISTS conversations_summary'));
    expect(summary).toMatch(/\nFROM conversations\nGROUP BY/);
  });
});
