import { describe, expect, it } from 'vitest';
import { ddlForMode, ddlModeFor, migrationsTableDdl } from './cluster-ddl.js';

const cluster = ddlModeFor('analytics');
const single = ddlModeFor(undefined);

const EVENTS = `CREATE TABLE IF NOT EXISTS events
(
    id UUID,
    account_id Int64,
    INDEX idx_account account_id TYPE bloom_filter(0.01) GRANULARITY 4
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (account_id, toDate(occurred_at), id)
SETTINGS non_replicated_deduplication_window = 10000`;

describe('ClickHouse DDL per mode', () => {
  it('runs every statement as written on a single server, chdb and ClickHouse Cloud', () => {
    expect(single).toEqual({ kind: 'single' });
    for (const statement of [EVENTS, 'CREATE VIEW IF NOT EXISTS v AS SELECT 1', 'SELECT 1']) {
      expect(ddlForMode(statement, single)).toEqual([statement]);
    }
    expect(migrationsTableDdl(single)).toBe(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = ReplacingMergeTree ORDER BY version",
    );
  });

  it('turns a MergeTree table into a replicated local table ON CLUSTER and a Distributed table under its name', () => {
    expect(ddlForMode(EVENTS, cluster)).toEqual([
      `CREATE TABLE IF NOT EXISTS events_local ON CLUSTER analytics
(
    id UUID,
    account_id Int64,
    INDEX idx_account account_id TYPE bloom_filter(0.01) GRANULARITY 4
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/events_local', '{replica}')
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (account_id, toDate(occurred_at), id)
SETTINGS replicated_deduplication_window = 10000, non_replicated_deduplication_window = 10000`,
      `CREATE TABLE IF NOT EXISTS events ON CLUSTER analytics AS events_local
ENGINE = Distributed(analytics, currentDatabase(), events_local, cityHash64(account_id, toDate(occurred_at), id))`,
    ]);
  });

  it('keeps engine arguments after the Keeper path and adds the dedup window where SETTINGS is missing', () => {
    const [local, distributed] = ddlForMode(
      'CREATE TABLE IF NOT EXISTS t (a UInt8, v UInt32) ENGINE = ReplacingMergeTree(v) ORDER BY a',
      cluster,
    );
    expect(local).toBe(
      "CREATE TABLE IF NOT EXISTS t_local ON CLUSTER analytics\n(a UInt8, v UInt32)\nENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/t_local', '{replica}', v) ORDER BY a\nSETTINGS replicated_deduplication_window = 10000",
    );
    expect(distributed).toBe(
      'CREATE TABLE IF NOT EXISTS t ON CLUSTER analytics AS t_local\nENGINE = Distributed(analytics, currentDatabase(), t_local, cityHash64(a))',
    );
  });

  it('points a materialized view at the local tables, aliased so qualified columns still resolve', () => {
    const mv =
      "CREATE MATERIALIZED VIEW IF NOT EXISTS conversations_mv TO conversations AS\nSELECT account_id, sum(events.cost_usd) AS cost, max(fallback_from) AS f\nFROM events\nWHERE type = 'message from a customer'\nGROUP BY account_id";
    expect(ddlForMode(mv, cluster)).toEqual([
      "CREATE MATERIALIZED VIEW IF NOT EXISTS conversations_mv ON CLUSTER analytics TO conversations_local AS\nSELECT account_id, sum(events.cost_usd) AS cost, max(fallback_from) AS f\nFROM events_local AS events\nWHERE type = 'message from a customer'\nGROUP BY account_id",
    ]);
  });

  it('creates plain views ON CLUSTER over the Distributed tables', () => {
    expect(
      ddlForMode('CREATE VIEW IF NOT EXISTS s AS\nSELECT a FROM conversations GROUP BY a', cluster),
    ).toEqual([
      'CREATE VIEW IF NOT EXISTS s ON CLUSTER analytics AS\nSELECT a FROM conversations GROUP BY a',
    ]);
  });

  it('alters columns on both tables, indexes and settings on the local one only', () => {
    expect(
      ddlForMode('ALTER TABLE events ADD COLUMN IF NOT EXISTS x String, DROP COLUMN y', cluster),
    ).toEqual([
      'ALTER TABLE events_local ON CLUSTER analytics ADD COLUMN IF NOT EXISTS x String, DROP COLUMN y',
      'ALTER TABLE events ON CLUSTER analytics ADD COLUMN IF NOT EXISTS x String, DROP COLUMN y',
    ]);
    expect(ddlForMode('ALTER TABLE events ADD INDEX i x TYPE set(0) GRANULARITY 4', cluster)).toEqual([
      'ALTER TABLE events_local ON CLUSTER analytics ADD INDEX i x TYPE set(0) GRANULARITY 4',
    ]);
    expect(() =>
      ddlForMode('ALTER TABLE events ADD COLUMN x String, ADD INDEX i x TYPE set(0)', cluster),
    ).toThrow(/split column and other changes/);
  });

  it('drops both tables of a pair, and refuses a statement it has no cluster form for', () => {
    expect(ddlForMode('DROP TABLE IF EXISTS t', cluster)).toEqual([
      'DROP TABLE IF EXISTS t ON CLUSTER analytics SYNC',
      'DROP TABLE IF EXISTS t_local ON CLUSTER analytics SYNC',
    ]);
    expect(ddlForMode('INSERT INTO t VALUES (1)', cluster)).toEqual(['INSERT INTO t VALUES (1)']);
    expect(() => ddlForMode('CREATE TABLE IF NOT EXISTS m (a UInt8) ENGINE = Memory', cluster)).toThrow(
      /no cluster form for this statement: CREATE TABLE IF NOT EXISTS m/,
    );
  });

  it('keeps schema_migrations in one replicated table across every node of the cluster', () => {
    expect(migrationsTableDdl(cluster)).toBe(
      "CREATE TABLE IF NOT EXISTS schema_migrations ON CLUSTER analytics (version String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{database}/schema_migrations', '{replica}') ORDER BY version",
    );
    expect(() => ddlModeFor('analytics; DROP')).toThrow(/invalid ClickHouse cluster name/);
  });
});
