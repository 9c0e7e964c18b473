import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestClickHouse, testDataDir, type TestClickHouse } from '../testing/index.js';
import { connectClickHouse, type ClickHouse } from './connect-clickhouse.js';
import { migrateClickHouse } from './migrate-clickhouse.js';

const opened: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const ch of opened.reverse()) await ch.close();
});

async function rows(ch: Pick<ClickHouse, 'client'>, query: string): Promise<unknown[]> {
  return (await ch.client.query({ query, format: 'JSONEachRow' })).json();
}

describe('the local (chdb) database', () => {
  it('is the one asked for: two test databases in one process do not share tables', async () => {
    const a: TestClickHouse = await createTestClickHouse({ migrate: false });
    const b: TestClickHouse = await createTestClickHouse({ migrate: false });
    opened.push(a, b);
    await a.client.command({ query: 'CREATE TABLE only_in_a (x UInt8) ENGINE = MergeTree ORDER BY x' });
    expect(await rows(a, 'SELECT currentDatabase() AS db')).toEqual([{ db: a.database }]);
    expect(
      await rows(
        b,
        "SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name = 'only_in_a'",
      ),
    ).toEqual([{ n: 0 }]);
    expect(await rows(a, "SELECT count() AS n FROM system.tables WHERE database = 'default'")).toEqual([
      { n: 0 },
    ]);
  });

  it('takes over what earlier versions wrote to `default`, views rebuilt so new rows still flow', async () => {
    // An earlier version: the same data directory, every statement in `default`.
    const dataDir = testDataDir();
    const old = createClient({ connection: createChdbConnection({ path: dataDir }) } as Parameters<
      typeof createClient
    >[0]);
    opened.push(old);
    const migrations = { dir: fs.mkdtempSync(path.join(os.tmpdir(), 'sb-ch-adopt-')) };
    fs.writeFileSync(
      path.join(migrations.dir, '0001_events.sql'),
      [
        'CREATE TABLE IF NOT EXISTS events (id UInt32, kind String) ENGINE = MergeTree ORDER BY id;',
        'CREATE TABLE IF NOT EXISTS kinds (kind String, n UInt64) ENGINE = SummingMergeTree ORDER BY kind;',
        'CREATE MATERIALIZED VIEW IF NOT EXISTS kinds_mv TO kinds AS SELECT kind, count() AS n FROM events GROUP BY kind;',
        'CREATE VIEW IF NOT EXISTS recent AS SELECT id FROM events WHERE id > 1;',
        '',
      ].join('\n'),
    );
    const legacy = {
      client: old,
      database: 'default',
      mode: 'local' as const,
      displayUrl: '',
      close: async () => {},
    };
    await migrateClickHouse(legacy, migrations);
    await old.insert({
      table: 'events',
      values: [
        { id: 1, kind: 'message' },
        { id: 2, kind: 'handoff' },
      ],
      format: 'JSONEachRow',
    });

    const ch = await connectClickHouse({
      username: 'default',
      password: '',
      database: 'adopted',
      requestTimeoutMs: 60_000,
      local: { dataDir },
    });
    opened.push(ch);
    expect(await migrateClickHouse(ch, migrations)).toEqual(['0001_events']);
    await ch.client.insert({ table: 'events', values: [{ id: 3, kind: 'message' }], format: 'JSONEachRow' });

    expect(await rows(ch, 'SELECT id, kind FROM events ORDER BY id')).toEqual([
      { id: 1, kind: 'message' },
      { id: 2, kind: 'handoff' },
      { id: 3, kind: 'message' },
    ]);
    // The row inserted after the move reached the rebuilt view's target in the new database.
    expect(await rows(ch, 'SELECT kind, sum(n) AS n FROM kinds GROUP BY kind ORDER BY kind')).toEqual([
      { kind: 'handoff', n: 1 },
      { kind: 'message', n: 2 },
    ]);
    expect(await rows(ch, 'SELECT id FROM recent ORDER BY id')).toEqual([{ id: 2 }, { id: 3 }]);
    expect(await rows(ch, "SELECT name FROM system.tables WHERE database = 'default'")).toEqual([]);

    // A second start finds the database in use and moves nothing.
    const again = await connectClickHouse({
      username: 'default',
      password: '',
      database: 'adopted',
      requestTimeoutMs: 60_000,
      local: { dataDir },
    });
    opened.push(again);
    expect(await migrateClickHouse(again, migrations)).toEqual([]);
    expect(await rows(again, 'SELECT count() AS n FROM events')).toEqual([{ n: 3 }]);
  });
});
