import type { SqlLookupConfig } from '@switchboard/core';
import pg from 'pg';
import { LookupError } from './lookup-error.js';

/**
 * Runs a declared SQL lookup. The model supplies only values for $1..$n. Layers that keep a
 * lookup from writing, each enough on its own for most cases:
 *  1. the operator's query is wrapped as a subquery, so it must be a single SELECT-like
 *     expression (a data-modifying CTE is only allowed at the top level: PostgreSQL refuses it);
 *  2. the extended query protocol (parameters) refuses several statements in one string;
 *  3. the transaction is READ ONLY (INSERT/UPDATE/DELETE/DDL/nextval/SELECT FOR UPDATE fail);
 *  4. a statement_timeout and a row limit bound the cost.
 * A read-only database role for `connectionUrl` is still recommended (docs/tools.md).
 */
export interface SqlLookupResult {
  rows: Record<string, unknown>[];
  truncated: boolean;
}

const TIMEOUT_CODES = new Set(['57014']);
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
  '57P01',
  '57P03',
  '08006',
  '08001',
]);

export class SqlLookupRunner {
  private readonly pools = new Map<string, pg.Pool>();

  private poolFor(lookup: SqlLookupConfig): pg.Pool {
    let pool = this.pools.get(lookup.connectionUrl);
    if (!pool) {
      pool = new pg.Pool({
        connectionString: lookup.connectionUrl,
        max: 4,
        connectionTimeoutMillis: lookup.timeoutMs,
        idleTimeoutMillis: 30_000,
        application_name: 'switchboard-lookup',
      });
      // An idle client's error (server restart) must not crash the process.
      pool.on('error', () => undefined);
      this.pools.set(lookup.connectionUrl, pool);
    }
    return pool;
  }

  async run(lookup: SqlLookupConfig, values: unknown[]): Promise<SqlLookupResult> {
    let client: pg.PoolClient;
    try {
      client = await this.poolFor(lookup).connect();
    } catch (error) {
      throw classify(error);
    }
    let broken = false;
    try {
      await client.query('BEGIN TRANSACTION READ ONLY');
      // SET LOCAL: ends with the transaction, so a pooled (or PGlite's shared) session keeps nothing.
      await client.query(`SET LOCAL statement_timeout = ${Math.floor(lookup.timeoutMs)}`);
      const text = `SELECT * FROM (${stripTrailingSemicolons(lookup.query)}) AS lookup LIMIT ${lookup.maxRows + 1}`;
      const result = await client.query({
        text,
        values,
        query_timeout: lookup.timeoutMs + 1_000,
      } as pg.QueryConfig);
      await client.query('ROLLBACK');
      const rows = result.rows.slice(0, lookup.maxRows).map(plainRow);
      return { rows, truncated: result.rows.length > lookup.maxRows };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw classify(error);
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.end()));
    this.pools.clear();
  }
}

function stripTrailingSemicolons(query: string): string {
  return query.trim().replace(/;+\s*$/, '');
}

/** JSON-safe values for the model: dates as ISO strings, bytes dropped. */
function plainRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value instanceof Date) out[key] = value.toISOString();
    else if (Buffer.isBuffer(value)) continue;
    else out[key] = value;
  }
  return out;
}

function classify(error: unknown): LookupError {
  if (error instanceof LookupError) return error;
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message ?? String(error);
  if (TIMEOUT_CODES.has(code) || /timeout/i.test(message)) {
    return new LookupError('timeout', 'The lookup took too long and was stopped.', message);
  }
  if (CONNECTION_CODES.has(code) || /connect|terminat/i.test(message)) {
    return new LookupError(
      'unavailable',
      'The database behind this lookup is not reachable right now.',
      message,
    );
  }
  if (code === '25006') {
    return new LookupError(
      'rejected',
      'This lookup tried to change data, which lookups may never do.',
      message,
    );
  }
  return new LookupError(
    'misconfigured',
    'The lookup failed; an operator needs to check its configuration.',
    message,
  );
}
