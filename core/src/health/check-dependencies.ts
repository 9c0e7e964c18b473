import type pg from 'pg';
import type { ClickHouse } from '../clickhouse/connect-clickhouse.js';
import type { Database } from '../postgres/connect-postgres.js';
import { describePgError } from '../postgres/connect-postgres.js';

export interface DependencyState {
  ok: boolean;
  [detail: string]: unknown;
}

export type HealthCheck = () => Promise<DependencyState>;

export function postgresHealth(db: Database): HealthCheck {
  return async () => {
    try {
      const row = await queryOne(db.pool);
      return {
        ok: true,
        mode: db.mode,
        url: db.displayUrl,
        version: row.version,
        pgvector: row.pgvector,
      };
    } catch (error) {
      return { ok: false, mode: db.mode, url: db.displayUrl, error: describePgError(error) };
    }
  };
}

async function queryOne(pool: pg.Pool): Promise<{ version: string; pgvector: string | null }> {
  const result = await pool.query<{ version: string; pgvector: string | null }>(
    `SELECT current_setting('server_version') AS version,
            (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS pgvector`,
  );
  return result.rows[0]!;
}

export function clickhouseHealth(ch: ClickHouse): HealthCheck {
  return async () => {
    try {
      const result = await ch.client.query({ query: 'SELECT version() AS version', format: 'JSONEachRow' });
      const [row] = await result.json<{ version: string }>();
      return { ok: true, mode: ch.mode, url: ch.displayUrl, database: ch.database, version: row?.version };
    } catch (error) {
      return { ok: false, mode: ch.mode, url: ch.displayUrl, error: (error as Error).message };
    }
  };
}

/** Runs every check; the whole is ok only when each dependency is. */
export async function checkHealth(
  checks: Record<string, HealthCheck>,
): Promise<{ ok: boolean; dependencies: Record<string, DependencyState> }> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => [name, await check()] as const),
  );
  const dependencies = Object.fromEntries(entries);
  return { ok: entries.every(([, state]) => state.ok), dependencies };
}
