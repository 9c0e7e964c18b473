import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { lockFileFor } from '../src/postgres/data-dir-lock.js';
import { REPO_ROOT } from '../src/postgres/migrate-postgres.js';

/**
 * `npm start` in local mode, as a real process: health of both stores, a second start on the
 * same data dir refused with the holder's PID, no committed data lost to SIGKILL, clean Ctrl-C.
 */
interface Started {
  child: ChildProcess;
  output: () => string;
  agentBotUrl: string;
  analyticsUrl: string;
}

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

function launch(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      AGENT_BOT_PORT: '0',
      ANALYTICS_PORT: '0',
      SIMULATOR_PORT: '0',
      LOCAL_POSTGRES_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => text, exit };
}

async function startLocal(dataDir: string): Promise<Started> {
  const { child, output, exit } = launch({ SWITCHBOARD_DATA_DIR: dataDir });
  const deadline = Date.now() + 120_000;
  while (!/"msg":"ready/.test(output())) {
    if (child.exitCode !== null) throw new Error(`start exited early:\n${output()}`);
    if (Date.now() > deadline) throw new Error(`start did not become ready:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  void exit;
  const url = (service: string) => new RegExp(`"msg":"${service}: (http://[^ ]+)`).exec(output())![1]!;
  return { child, output, agentBotUrl: url('agent-bot'), analyticsUrl: url('analytics') };
}

function waitForExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('local mode (npm start)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-local-'));

  it('serves /healthz with both stores OK, refuses a second start, survives SIGKILL and stops cleanly', async () => {
    const first = await startLocal(dataDir);

    for (const url of [first.agentBotUrl, first.analyticsUrl]) {
      const response = await fetch(`${url}/healthz`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        ok: boolean;
        dependencies: Record<string, Record<string, unknown>>;
      };
      expect(body.ok).toBe(true);
      expect(body.dependencies.postgres).toMatchObject({ ok: true, mode: 'local' });
      expect(body.dependencies.postgres!.version).toMatch(/^\d+\.\d+/);
      expect(body.dependencies.postgres!.pgvector).toMatch(/^0\.8\./);
      expect(body.dependencies.clickhouse).toMatchObject({ ok: true, mode: 'local' });
      expect(body.dependencies.clickhouse!.version).toMatch(/^\d+\.\d+/);
    }

    // A second start on the same data dir names the PID that holds it, and exits non-zero.
    const second = launch({ SWITCHBOARD_DATA_DIR: dataDir });
    expect(await second.exit).toBe(1);
    expect(second.output()).toContain(`is in use by PID ${first.child.pid}`);

    // Other processes share the database through the served port (what kb-ingest and psql do).
    const lock = JSON.parse(fs.readFileSync(lockFileFor(path.join(dataDir, 'postgres')), 'utf8')) as {
      port: number;
    };
    const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${lock.port}/postgres` });
    await client.connect();
    await client.query('CREATE TABLE durability_probe (id int primary key, note text)');
    await client.query('BEGIN');
    await client.query("INSERT INTO durability_probe VALUES (1, 'committed before SIGKILL')");
    await client.query('COMMIT');
    await client.end();

    first.child.kill('SIGKILL');
    await waitForExit(first.child);

    const restarted = await startLocal(dataDir);
    const after = new pg.Client({
      connectionString: `postgres://postgres@127.0.0.1:${(JSON.parse(fs.readFileSync(lockFileFor(path.join(dataDir, 'postgres')), 'utf8')) as { port: number }).port}/postgres`,
    });
    await after.connect();
    const { rows } = await after.query('SELECT note FROM durability_probe WHERE id = 1');
    await after.end();
    expect(rows).toEqual([{ note: 'committed before SIGKILL' }]);

    restarted.child.kill('SIGINT');
    expect(await waitForExit(restarted.child)).toBe(0);
    expect(fs.existsSync(lockFileFor(path.join(dataDir, 'postgres')))).toBe(false);
  }, 300_000);

  it('stops with one clear line, password omitted, when the database is unreachable', async () => {
    const run = launch({
      SWITCHBOARD_DATA_DIR: dataDir,
      DATABASE_URL: 'postgres://switchboard:hunter2@127.0.0.1:1/switchboard',
    });
    expect(await run.exit).toBe(1);
    const lines = run
      .output()
      .split('\n')
      .filter((line) => line.startsWith('switchboard:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^switchboard: Cannot connect to PostgreSQL at postgres:\/\/switchboard:\*\*\*@127\.0\.0\.1:1\/switchboard: .*ECONNREFUSED/,
    );
    expect(run.output()).not.toContain('hunter2');
    expect(run.output()).not.toMatch(/^\s+at /m);
  }, 60_000);
});
