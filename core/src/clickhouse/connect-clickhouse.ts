import fs from 'node:fs';
import path from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { StartupError, redactUrl } from '../errors.js';
import type { SwitchboardConfig } from '../config/schema.js';

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
  close(): Promise<void>;
}

/** Settings every query gets, so results parse the same on chdb and on a server. */
export const CLICKHOUSE_SETTINGS = {
  output_format_json_quote_64bit_integers: 0,
  output_format_json_quote_decimals: 1,
  date_time_output_format: 'iso',
  date_time_input_format: 'best_effort',
} as const;

export async function connectClickHouse(
  config: SwitchboardConfig['clickhouse'],
  options: { database?: string } = {},
): Promise<ClickHouse> {
  const database = options.database ?? config.database;
  if (config.url) {
    const bootstrap = createClient({
      url: config.url,
      username: config.username,
      password: config.password,
      request_timeout: config.requestTimeoutMs,
    });
    try {
      await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
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
      clickhouse_settings: CLICKHOUSE_SETTINGS,
    });
    return wrap(client, database, 'server', redactUrl(config.url));
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
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
  } catch (error) {
    throw new StartupError(
      `Cannot open the local ClickHouse (chdb) at ${dataDir}: ${(error as Error).message}`,
    );
  }
  return wrap(client, database, 'local', `chdb://${dataDir}`);
}

function wrap(
  client: ClickHouseClient,
  database: string,
  mode: ClickHouse['mode'],
  displayUrl: string,
): ClickHouse {
  let closed = false;
  return {
    client,
    database,
    mode,
    displayUrl,
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}
