import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClickHouse, type TestClickHouse } from '../testing/index.js';
import { migrateClickHouse, splitStatements } from './migrate-clickhouse.js';

describe('ClickHouse migrations', () => {
  let ch: TestClickHouse;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-ch-mig-'));
  beforeAll(async () => {
    ch = await createTestClickHouse({ migrate: false });
  });
  afterAll(async () => {
    await ch.drop();
  });

  it('splits statements on semicolons at line ends and drops comment lines', () => {
    expect(splitStatements("-- a comment\nCREATE TABLE a (x String DEFAULT ';');\n\nSELECT 1;")).toEqual([
      "CREATE TABLE a (x String DEFAULT ';')",
      'SELECT 1',
    ]);
  });

  it('applies numbered files once, in order, and records them', async () => {
    fs.writeFileSync(
      path.join(dir, '0001_first.sql'),
      'CREATE TABLE IF NOT EXISTS t1 (a UInt8) ENGINE = MergeTree ORDER BY a;\n',
    );
    fs.writeFileSync(
      path.join(dir, '0002_second.sql'),
      'CREATE TABLE IF NOT EXISTS t2 (a UInt8) ENGINE = MergeTree ORDER BY a;\nINSERT INTO t2 VALUES (7);\n',
    );
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'ignored');
    expect(await migrateClickHouse(ch, { dir })).toEqual(['0001_first', '0002_second']);
    expect(await migrateClickHouse(ch, { dir })).toEqual([]);
    const rows = await (await ch.client.query({ query: 'SELECT a FROM t2', format: 'JSONEachRow' })).json();
    expect(rows).toEqual([{ a: 7 }]);
  });
});
