import net from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePGlite, sessionOn, type PGliteWireServer } from './pglite-wire-server.js';

/** `SELECT $1::int + $2::int + … + $n::int`: the parameter count is part of the statement. */
function sumOf(count: number): string {
  return `SELECT ${Array.from({ length: count }, (_, i) => `$${i + 1}::int`).join(' + ')} AS total`;
}

function startupPacket(): Buffer {
  const body = Buffer.from('user\0postgres\0database\0postgres\0\0');
  const head = Buffer.alloc(8);
  head.writeInt32BE(body.length + 8, 0);
  head.writeInt32BE(196608, 4);
  return Buffer.concat([head, body]);
}

function frontend(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(5);
  head.write(type, 0);
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

/** Resolves once `predicate` holds for everything the socket has received so far. */
function receivedUntil(socket: net.Socket, predicate: (received: Buffer) => boolean): Promise<void> {
  let received = Buffer.alloc(0);
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      if (predicate(received)) {
        socket.off('data', onData);
        resolve();
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

describe('PGlite served over the wire protocol', () => {
  let db: PGlite;
  let server: PGliteWireServer;
  let url: string;

  beforeAll(async () => {
    db = await PGlite.create();
    server = await servePGlite({ session: sessionOn(db), host: '127.0.0.1', port: 0, maxConnections: 1000 });
    url = `postgres://postgres@127.0.0.1:${server.port}/postgres`;
    const setup = new pg.Client(url);
    await setup.connect();
    await setup.query('CREATE TABLE marks (id int PRIMARY KEY, who text NOT NULL)');
    await setup.end();
  });

  afterAll(async () => {
    await server?.stop();
    await db?.close();
  });

  it('keeps 30 pools × 20 parallel extended-protocol queries apart: every result right, no protocol error', async () => {
    const pools = Array.from({ length: 30 }, () => new pg.Pool({ connectionString: url, max: 20 }));
    const errors: string[] = [];
    let wrong = 0;
    let inTransactionFailures = 0;
    try {
      await Promise.all(
        pools.flatMap((pool, p) =>
          Array.from({ length: 20 }, async (_, q) => {
            const count = 1 + ((p * 20 + q) % 18);
            const values = Array.from({ length: count }, (_, i) => p * 1000 + q * 10 + i);
            const expected = values.reduce((a, b) => a + b, 0);
            try {
              // Unnamed statement, then the same text as a named one (same name in every pool).
              const unnamed = await pool.query<{ total: number }>(sumOf(count), values);
              const named = await pool.query<{ total: number }>({
                name: `sum${count}`,
                text: sumOf(count),
                values,
              });
              if (unnamed.rows[0]?.total !== expected || named.rows[0]?.total !== expected) wrong += 1;
              if (q % 5 === 0) {
                // A failing statement outside a transaction, then a right answer on the same client.
                const client = await pool.connect();
                try {
                  await expect(client.query('SELECT 1 / $1::int AS x', [0])).rejects.toThrow(
                    /division by zero/,
                  );
                  const after = await client.query<{ x: number }>('SELECT 10 / $1::int AS x', [count]);
                  if (after.rows[0]?.x !== Math.trunc(10 / count)) wrong += 1;
                } finally {
                  client.release();
                }
              }
              if (q % 7 === 0) {
                // A failing statement inside a transaction: the rest of it is refused, then rolled back.
                const client = await pool.connect();
                const id = 10_000 + p * 100 + q;
                try {
                  await client.query('BEGIN');
                  await client.query('INSERT INTO marks (id, who) VALUES ($1, $2)', [id, `p${p}`]);
                  await expect(client.query('SELECT 1 / $1::int', [0])).rejects.toThrow(/division by zero/);
                  await client
                    .query('SELECT $1::int', [1])
                    .catch((error: Error) =>
                      /current transaction is aborted/.test(error.message)
                        ? (inTransactionFailures += 1)
                        : Promise.reject(error),
                    );
                  await client.query('ROLLBACK');
                  const left = await client.query('SELECT 1 FROM marks WHERE id = $1', [id]);
                  if (left.rowCount !== 0) wrong += 1;
                } finally {
                  client.release();
                }
              }
            } catch (error) {
              errors.push((error as Error).message);
            }
          }),
        ),
      );
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
    expect(errors).toEqual([]);
    expect(wrong).toBe(0);
    expect(inTransactionFailures).toBe(30 * 3);
  }, 120_000);

  it('rolls back a client killed mid-transaction, and the others proceed', async () => {
    const victim = new pg.Client(url);
    victim.on('error', () => undefined);
    await victim.connect();
    await victim.query('BEGIN');
    await victim.query('INSERT INTO marks (id, who) VALUES ($1, $2)', [1, 'victim']);

    const pool = new pg.Pool({ connectionString: url, max: 5 });
    try {
      // These wait for the victim's transaction to end.
      const others = Array.from({ length: 10 }, (_, i) =>
        pool.query<{ n: number }>('SELECT $1::int AS n', [i]),
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      (victim as unknown as { connection: { stream: net.Socket } }).connection.stream.destroy();
      const answers = await Promise.all(others);
      expect(answers.map((answer) => answer.rows[0]?.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const left = await pool.query('SELECT 1 FROM marks WHERE id = 1');
      expect(left.rowCount).toBe(0);
      const status = await pool.query<{ now: string }>('SELECT now()::text AS now');
      const later = await pool.query<{ now: string }>('SELECT now()::text AS now');
      expect(later.rows[0]?.now).not.toBe(status.rows[0]?.now); // not stuck in one transaction
    } finally {
      await pool.end();
    }
  });

  it('rolls back a client that disconnects mid-cycle (Execute sent, no Sync)', async () => {
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const ready = receivedUntil(socket, (bytes) => bytes.includes(Buffer.from('Z\0\0\0\x05I')));
    socket.write(startupPacket());
    await ready;
    const executed = receivedUntil(socket, (bytes) => bytes.includes(Buffer.from('INSERT 0 1')));
    socket.write(
      Buffer.concat([
        frontend('P', Buffer.from("\0INSERT INTO marks (id, who) VALUES (2, 'half')\0"), Buffer.from([0, 0])),
        frontend('B', Buffer.from('\0\0'), Buffer.alloc(6)),
        frontend('E', Buffer.from('\0'), Buffer.alloc(4)),
        frontend('H'),
      ]),
    );
    await executed;
    const pool = new pg.Pool({ connectionString: url, max: 3 });
    try {
      const waiting = pool.query<{ n: number }>('SELECT count(*)::int AS n FROM marks WHERE id = 2');
      socket.destroy();
      expect((await waiting).rows[0]?.n).toBe(0);
    } finally {
      await pool.end();
    }
  });

  it('returns results larger than PGlite’s 1 MB answer buffer whole', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    try {
      const lengths = await Promise.all(
        [3, 1, 2].map(async (mb) => {
          const result = await pool.query<{ text: string }>('SELECT repeat($1, $2::int) AS text', [
            'x',
            mb * 1_048_576,
          ]);
          return result.rows[0]?.text.length;
        }),
      );
      expect(lengths).toEqual([3 * 1_048_576, 1_048_576, 2 * 1_048_576]);
    } finally {
      await pool.end();
    }
  });

  it('closes the prepared statements of a connection that leaves, so a newcomer can reuse the name', async () => {
    const first = new pg.Client(url);
    await first.connect();
    await first.query({ name: 'probe', text: 'SELECT $1::int AS n', values: [1] });
    await first.end();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements');
    expect(rows[0]?.n).toBe(0);
    expect(server.connectionCount()).toBe(0);
  });
});
