import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { sqlLookupSchema } from '@switchboard/core/config/tools';
import { LookupError } from './lookup-error.js';
import { SqlLookupRunner } from './sql-lookup.js';

let db: TestDatabase;
let table: string;
const runner = new SqlLookupRunner();

function lookup(query: string, extra: Record<string, unknown> = {}) {
  // Parsed with a valid query, then given the one under test: config validation would already
  // refuse some of the hostile ones (no $1), and the runner must hold even without it.
  const parsed = sqlLookupSchema.parse({
    kind: 'sql',
    description: 'Order status by order number',
    connectionUrl: db.url,
    query: 'SELECT $1::text AS id',
    parameters: [{ name: 'order_id', description: 'The order number', pattern: '^[0-9]{1,10}$' }],
    ...extra,
  });
  return { ...parsed, query };
}

async function rowCount(): Promise<number> {
  return (await db.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;
}

beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
  table = db.schema ? `"${db.schema}".orders` : 'orders';
  await db.pool.query(
    `CREATE TABLE ${table} (id text PRIMARY KEY, status text NOT NULL, placed_at timestamptz NOT NULL)`,
  );
  await db.pool.query(
    `INSERT INTO ${table} SELECT g::text, 'shipped', '2026-03-01T10:00:00Z' FROM generate_series(1, 50) g`,
  );
  const seq = db.schema ? `"${db.schema}".order_numbers` : 'order_numbers';
  await db.pool.query(`CREATE SEQUENCE ${seq}`);
  const fn = db.schema ? `"${db.schema}".sneaky_write` : 'sneaky_write';
  await db.pool.query(
    `CREATE FUNCTION ${fn}() RETURNS int LANGUAGE plpgsql AS $$ BEGIN INSERT INTO ${table} VALUES ('x', 'x', now()); RETURN 1; END $$`,
  );
});

afterAll(async () => {
  await runner.close();
  await db?.drop();
});

describe('SQL lookups', () => {
  it('returns rows for the declared parameter, JSON-safe, and honours the row limit', async () => {
    const one = await runner.run(lookup(`SELECT id, status, placed_at FROM ${table} WHERE id = $1`), ['7']);
    expect(one).toEqual({
      rows: [{ id: '7', status: 'shipped', placed_at: '2026-03-01T10:00:00.000Z' }],
      truncated: false,
    });
    const many = await runner.run(
      lookup(`SELECT id FROM ${table} WHERE $1::text IS NOT NULL ORDER BY id;`, { maxRows: 5 }),
      ['1'],
    );
    expect(many.rows).toHaveLength(5);
    expect(many.truncated).toBe(true);
  });

  it('treats a parameter as a value, never as SQL', async () => {
    const result = await runner.run(lookup(`SELECT id FROM ${table} WHERE id = $1`), [
      `1'; DROP TABLE ${table}; --`,
    ]);
    expect(result.rows).toEqual([]);
    expect(await rowCount()).toBe(50);
  });

  const writes: Array<[string, string]> = [
    ['INSERT', `INSERT INTO ${'TABLE'} VALUES ($1, 'new', now())`],
    ['UPDATE', `UPDATE ${'TABLE'} SET status = 'lost' WHERE id = $1`],
    ['DELETE', `DELETE FROM ${'TABLE'} WHERE id = $1`],
    ['DDL', `DROP TABLE ${'TABLE'}`],
    ['writing CTE', `WITH gone AS (DELETE FROM ${'TABLE'} WHERE id = $1 RETURNING id) SELECT id FROM gone`],
    ['second statement', `SELECT id FROM ${'TABLE'} WHERE id = $1; DELETE FROM ${'TABLE'}`],
    ['writing function', `SELECT sneaky_write() AS n, $1::text AS id`],
    ['nextval', `SELECT nextval('order_numbers') AS n, $1::text AS id`],
    ['row lock', `SELECT id FROM ${'TABLE'} WHERE id = $1 FOR UPDATE`],
  ];
  it.each(writes)('cannot write: %s', async (_name, template) => {
    let query = template.replaceAll('TABLE', table);
    if (db.schema)
      query = query
        .replace('sneaky_write()', `"${db.schema}".sneaky_write()`)
        .replace("'order_numbers'", `'"${db.schema}".order_numbers'`);
    await expect(runner.run(lookup(query), ['1'])).rejects.toBeInstanceOf(LookupError);
    expect(await rowCount()).toBe(50);
    expect((await db.pool.query(`SELECT status FROM ${table} WHERE id = '1'`)).rows[0].status).toBe(
      'shipped',
    );
  });

  it('reports an unreachable database as a clear error', async () => {
    const unreachable = {
      ...lookup('SELECT 1 AS one WHERE $1::text IS NOT NULL'),
      connectionUrl: 'postgres://postgres@127.0.0.1:1/postgres',
      timeoutMs: 1000,
    };
    const error = await runner.run(unreachable, ['1']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LookupError);
    expect((error as LookupError).kind).toBe('unavailable');
    expect((error as LookupError).message).toBe(
      'The database behind this lookup is not reachable right now.',
    );
  });

  it('stops a slow query at the statement timeout', async () => {
    const slow = lookup('SELECT pg_sleep(3)::text AS slept, $1::text AS id', { timeoutMs: 300 });
    const started = Date.now();
    const error = await runner.run(slow, ['1']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LookupError);
    expect((error as LookupError).kind).toBe('timeout');
    // PGlite runs in this process and cannot be interrupted mid-statement (no signals in WASM),
    // so the bound on elapsed time is only meaningful on a real server.
    if (db.kind === 'server') expect(Date.now() - started).toBeLessThan(2900);
  });

  it('gives up on a database that accepts connections but never answers', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const hung = {
        ...lookup('SELECT 1 AS one WHERE $1::text IS NOT NULL'),
        connectionUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
        timeoutMs: 300,
      };
      const started = Date.now();
      const error = await runner.run(hung, ['1']).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LookupError);
      expect((error as LookupError).kind).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      silent.close();
    }
  });
});
