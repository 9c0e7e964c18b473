import fs from 'node:fs';
import path from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { StartupError, redactUrl } from '../errors.js';
import type { SwitchboardConfig } from '../config/schema.js';
import { selectLocalDatabase } from './select-local-database.js';

/**
 * The one way every part gets ClickHouse: the official client, over HTTP to a server when
 * `clickhouse.url` (CLICKHOUSE_URL) is set, or to chdb (real ClickHouse, in-process) in local
 * mode. The same queries run on both.
 */
export interface ClickHouse {
  readonly client: ClickHouseClient;
  readonly database: string;
  readonly mode: 'server' | 'local';
  readonly displayUrl: string;
  /** `clickhouse.cluster`: the migrations create replicated + Distributed tables ON CLUSTER. */
  readonly cluster?: string | null;
  close(): Promise<void>;
}

/** Settings every query gets, so results parse the same on chdb and on a server. */
export const CLICKHOUSE_SETTINGS = {
  output_format_json_quote_64bit_integers: 0,
  output_format_json_quote_decimals: 1,
  date_time_output_format: 'iso',
  date_time_input_format: 'best_effort',
} as const;

/**
 * On a cluster the shipper inserts through Distributed tables: synchronously, so an insert returns
 * only once every shard has its block (deduplicated there by insert_deduplication_token), and a
 * batch is marked shipped only when it really is.
 */
export const CLUSTER_SETTINGS = { insert_distributed_sync: 1 } as const;

export async function connectClickHouse(
  config: SwitchboardConfig['clickhouse'],
  options: { database?: string } = {},
): Promise<ClickHouse> {
  const database = options.database ?? config.database;
  const cluster = config.cluster ?? null;
  if (cluster && !config.url) {
    throw new StartupError(
      'clickhouse.cluster needs clickhouse.url (a cluster is reached through one of its servers)',
    );
  }
  if (config.url) {
    const bootstrap = createClient({
      url: config.url,
      username: config.username,
      password: config.password,
      request_timeout: config.requestTimeoutMs,
    });
    try {
      const onCluster = cluster ? ` ON CLUSTER ${cluster}` : '';
      await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}${onCluster}` });
    } catch (error) {
      throw new StartupError(
        `Cannot connect to ClickHouse at ${redactUrl(config.url)}: ${(error as Error).message}`,
      );
    } finally {
      await bootstrap.close();
    }
    const client = createClient({
      url: config.url,
      username: config.username,
      password: config.password,
      database,
      request_timeout: config.requestTimeoutMs,
      clickhouse_settings: cluster ? { ...CLICKHOUSE_SETTINGS, ...CLUSTER_SETTINGS } : CLICKHOUSE_SETTINGS,
    });
    return wrap(client, database, 'server', redactUrl(config.url), cluster);
  }

  const dataDir = path.resolve(config.local.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  // Loaded lazily: the native library is ~170 MB and only local mode needs it.
  const { createChdbConnection } = await import('chdb/connection');
  let client: ClickHouseClient;
  try {
    const connection = createChdbConnection({ path: dataDir });
    client = createClient({
      connection,
      database,
      clickhouse_settings: CLICKHOUSE_SETTINGS,
    } as Parameters<typeof createClient>[0]);
    await selectLocalDatabase(client, database);
  } catch (error) {
    throw new StartupError(
      `Cannot open the local ClickHouse (chdb) at ${dataDir}: ${(error as Error).message}`,
    );
  }
  return wrap(client, database, 'local', `chdb://${dataDir}`, null);
}

function wrap(
  client: ClickHouseClient,
  database: string,
  mode: ClickHouse['mode'],
  displayUrl: string,
  cluster: string | null,
): ClickHouse {
  let closed = false;
  return {
    client,
    database,
    mode,
    displayUrl,
    cluster,
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}
