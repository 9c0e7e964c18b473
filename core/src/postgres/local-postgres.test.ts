import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { StartupError } from '../errors.js';
import { startLocalPostgres, type LocalPostgres } from './local-postgres.js';

const started: LocalPostgres[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((local) => local.stop()));
});

async function start(dataDir: string | null, port = 0): Promise<LocalPostgres> {
  const local = await startLocalPostgres({ dataDir, port, maxConnections: 100 });
  started.push(local);
  return local;
}

describe('local PostgreSQL (PGlite on its own thread)', () => {
  it('keeps this thread running while PGlite executes a long statement', async () => {
    const local = await start(null);
    const client = new pg.Client(local.url);
    await client.connect();
    try {
      // The longest pause of this thread's event loop while the statement runs: on this thread,
      // PGlite's WASM would hold the loop for the statement's whole duration.
      let longestPause = 0;
      let last = performance.now();
      const ticker = setInterval(() => {
        const now = performance.now();
        longestPause = Math.max(longestPause, now - last);
        last = now;
      }, 5);
      const began = performance.now();
      const { rows } = await client.query<{ n: string }>(
        'SELECT count(*) AS n FROM generate_series(1, 3000000) AS s WHERE s % 7 = 0',
      );
      const tookMs = performance.now() - began;
      clearInterval(ticker);
      expect(rows[0]?.n).toBe('428571');
      expect(tookMs).toBeGreaterThan(150);
      expect(longestPause).toBeLessThan(tookMs / 2);
    } finally {
      await client.end();
    }
  });

  it('answers many pools at once through the thread, every result its own', async () => {
    const local = await start(null);
    const pools = Array.from({ length: 5 }, () => new pg.Pool({ connectionString: local.url, max: 10 }));
    try {
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          pools[i % pools.length]!.query<{ n: number }>('SELECT $1::int * 2 AS n', [i]).then(
            (r) => r.rows[0]?.n,
          ),
        ),
      );
      expect(results).toEqual(Array.from({ length: 200 }, (_, i) => i * 2));
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it('keeps what was written in its data directory across a stop and a start', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-pg-'));
    try {
      const first = await start(dir);
      const writer = new pg.Client(first.url);
      await writer.connect();
      await writer.query('CREATE TABLE kept (v text)');
      await writer.query(`INSERT INTO kept VALUES ('still here')`);
      await writer.end();
      await first.stop();

      const second = await start(dir);
      const reader = new pg.Client(second.url);
      await reader.connect();
      const { rows } = await reader.query<{ v: string }>('SELECT v FROM kept');
      await reader.end();
      expect(rows).toEqual([{ v: 'still here' }]);
    } finally {
      await Promise.all(started.splice(0).map((local) => local.stop()));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says which port is taken and how to choose another', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const attempt = start(null, port);
      await expect(attempt).rejects.toBeInstanceOf(StartupError);
      await expect(attempt).rejects.toThrow(`127.0.0.1:${port}`);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});
