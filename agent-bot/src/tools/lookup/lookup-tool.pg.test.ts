import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { toolsSchema } from '@switchboard/core/config/tools';
import { fakeConversation, runScriptedTools, testTurn } from '../../assistant/testing/tool-test-kit.js';
import type { LookupError } from './lookup-error.js';
import { createLookupTools } from './lookup-tool.js';
import { SqlLookupRunner } from './sql-lookup.js';

let db: TestDatabase;
let table: string;
const runner = new SqlLookupRunner();

beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
  table = db.schema ? `"${db.schema}".orders` : 'orders';
  await db.pool.query(`CREATE TABLE ${table} (id text PRIMARY KEY, status text NOT NULL)`);
  await db.pool.query(`INSERT INTO ${table} VALUES ('12', 'shipped'), ('13', 'packing')`);
});
afterAll(async () => {
  await runner.close();
  await db?.drop();
});

function lookups(url: string) {
  return toolsSchema.parse({
    lookups: {
      order_status: {
        kind: 'sql',
        description: 'Status of an order by its number',
        connectionUrl: url,
        query: `SELECT id, status FROM ${table} WHERE id = $1`,
        parameters: [{ name: 'order_id', description: 'Order number', pattern: '^[0-9]{1,10}$' }],
      },
    },
  }).lookups;
}

describe('lookup tools through the tool loop', () => {
  it('answers found / not found, and refuses arguments outside the declared schema', async () => {
    const tools = createLookupTools({ lookups: lookups(db.url), sql: runner });
    const { results, events } = await runScriptedTools(
      tools,
      [
        [{ name: 'order_status', arguments: { order_id: '12' } }],
        [{ name: 'order_status', arguments: { order_id: '999' } }],
        [{ name: 'order_status', arguments: { order_id: "12' OR '1'='1" } }],
        [{ name: 'order_status', arguments: { order_id: '12', query: 'DELETE FROM orders' } }],
      ],
      testTurn(fakeConversation()),
    );
    expect(results[0]).toEqual({ found: true, rows: [{ id: '12', status: 'shipped' }] });
    expect(results[1]).toEqual({ found: false, rows: [] });
    expect((results[2] as { error: string }).error).toMatch(/order_id: must match/);
    expect((results[3] as { error: string }).error).toMatch(/Invalid arguments/);
    expect(events.map((e) => (e.payload as { outcome: string }).outcome)).toEqual([
      'ok',
      'ok',
      'invalid_arguments',
      'invalid_arguments',
    ]);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n).toBe(2);
  });

  it('turns an unreachable database into a clear tool error, with the detail for the operator only', async () => {
    const failures: Array<[string, LookupError]> = [];
    const tools = createLookupTools({
      lookups: lookups('postgres://postgres@127.0.0.1:1/postgres'),
      sql: runner,
      onFailure: (name, error) => failures.push([name, error]),
    });
    const { results, events } = await runScriptedTools(
      tools,
      [[{ name: 'order_status', arguments: { order_id: '12' } }]],
      testTurn(fakeConversation()),
    );
    expect(results[0]).toEqual({
      error: 'The tool failed: The database behind this lookup is not reachable right now.',
    });
    expect(events[0]).toMatchObject({ payload: { outcome: 'error', arguments: { order_id: '***' } } });
    expect(failures[0]![0]).toBe('order_status');
    expect(failures[0]![1].detail).toMatch(/ECONNREFUSED|connect/);
  });
});
