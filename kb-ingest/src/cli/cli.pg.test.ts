import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectPostgres, loadConfig, migratePostgres, REPO_ROOT } from '@switchboard/core';
import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_POSTGRES_MIGRATIONS } from './cli-context.js';

/** The real command (`npx kb-ingest` runs this bin) against the test database, via DATABASE_URL. */
describe('kb-ingest CLI end to end', () => {
  let db: TestDatabase;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  const run = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [path.join(REPO_ROOT, 'kb-ingest/bin/kb-ingest.js'), ...args],
        { cwd: REPO_ROOT, env, timeout: 60_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    // On a shared server the test owns a schema: pass it the way libpq does, in the URL.
    const url = db.schema
      ? `${db.url}?options=${encodeURIComponent(`-c search_path=${db.schema},public`)}`
      : db.url;
    env = { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent', OPENAI_API_KEY: '' };
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-cli-'));
    fs.writeFileSync(
      path.join(dir, 'faq.md'),
      '# FAQ\n\n## Returns\nReturn unused items within 30 days.\n\n## Hours\nOpen 9 to 6.',
    );
    fs.writeFileSync(path.join(dir, 'prices.csv'), 'item,price\nBrass lamp,49.90\nOak chair,120.00\n');
    fs.writeFileSync(path.join(dir, 'broken.pdf'), '%PDF-1.4 not really');
  });
  afterAll(async () => {
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates, uploads (reporting the bad file), syncs, searches, shows, counts and deletes', async () => {
    const created = await run('create', '--kb', 'store', '--account', '5', '--json');
    // The committed configuration serves account 1 only: created, with a warning.
    expect(created.stderr).toBe(
      "kb-ingest: warning: account 5 is not in this configuration's chatwoot.accounts (it serves account 1); no assistant can search this knowledge base until it is.\n",
    );
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      name: 'store',
      accountId: 5,
      embedding: { provider: 'offline', dimensions: 100 },
    });

    const upload = await run('upload', dir, '--kb', 'store', '--account', '5', '--json');
    expect(upload.code, upload.stderr).toBe(1);
    const summary = JSON.parse(upload.stdout);
    expect(summary).toMatchObject({ added: 2, failed: 1, unchanged: 0, chunks: 4, costUsd: '0' });
    expect(summary.failures[0]).toMatchObject({ source: 'broken.pdf' });
    expect(summary.failures[0].reason).toMatch(/corrupt or unreadable PDF/);

    fs.rmSync(path.join(dir, 'broken.pdf'));
    const again = await run('upload', dir, '--kb', 'store', '--account', '5');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('store: 0 added, 0 updated, 2 unchanged, 0 failed');

    const search = await run('search', 'how much is the lamp?', '--kb', 'store', '--account', '5', '--json');
    expect(search.code, search.stderr).toBe(0);
    const result = JSON.parse(search.stdout);
    expect(result.miss).toBe(false);
    expect(result.passages[0]).toMatchObject({
      source: 'prices.csv',
      text: 'item: Brass lamp\nprice: 49.90',
    });

    const human = await run('search', 'when are you open', '--kb', 'store', '--account', '5');
    expect(human.stdout).toMatch(/^1\. \[\d\.\d{3}\] FAQ \(faq\.md\)\n {3}FAQ > Hours\n {3}Open 9 to 6\./);

    const stats = JSON.parse((await run('stats', '--account', '5', '--json')).stdout);
    expect(stats).toEqual([expect.objectContaining({ knowledgeBase: 'store', documents: 2, chunks: 4 })]);
    const show = await run('show', '--kb', 'store', '--account', '5');
    expect(show.stdout).toMatch(/faq\.md +FAQ +markdown +1 +2/);
    expect((await run('list', '--account', '5')).stdout).toContain('offline/wink-sg-100d-sif (100-d)');

    // Other accounts see nothing.
    expect(JSON.parse((await run('list', '--account', '6', '--json')).stdout)).toEqual([]);

    const refused = await run('delete', '--kb', 'store', '--account', '5');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('add --yes');
    const deleted = await run('delete', '--kb', 'store', '--account', '5', '--yes', '--json');
    expect(JSON.parse(deleted.stdout)).toEqual({ deleted: 'store', documents: 2, chunks: 4 });
  }, 240_000);

  it('Ctrl-C stops after the current document, leaves every document whole, and a re-run resumes', async () => {
    const many = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-cli-many-'));
    for (let i = 0; i < 150; i++) {
      fs.writeFileSync(
        path.join(many, `note-${String(i).padStart(3, '0')}.md`),
        `# Note ${i}\n\n## Part A\nGift card number ${i}.\n\n## Part B\nValid for two years.`,
      );
    }
    const created = await run('create', '--kb', 'notes', '--account', '8');
    expect(created.code, created.stderr).toBe(0);
    const count = async () =>
      Number((await db.pool.query(`SELECT count(*) AS n FROM kb_documents WHERE account_id = 8`)).rows[0].n);
    const child = spawn(
      process.execPath,
      [path.join(REPO_ROOT, 'kb-ingest/bin/kb-ingest.js'), 'upload', many, '--kb', 'notes', '--account', '8'],
      {
        cwd: REPO_ROOT,
        env,
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    while ((await count()) < 3) await new Promise((resolve) => setTimeout(resolve, 50));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stdout).toContain('Interrupted: finished documents are saved');
    const done = await count();
    expect(done).toBeGreaterThanOrEqual(3);
    expect(done).toBeLessThan(150);
    // Whole documents only: each has exactly the chunks it records.
    const torn = await db.pool.query(
      `SELECT d.source FROM kb_documents d LEFT JOIN kb_chunks c ON c.document_id = d.id
       WHERE d.account_id = 8 GROUP BY d.id HAVING count(c.id) <> d.chunk_count OR d.chunk_count <> 2`,
    );
    expect(torn.rows).toEqual([]);

    const resumed = await run('upload', many, '--kb', 'notes', '--account', '8', '--json');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ added: 150 - done, unchanged: done, failed: 0 });
    fs.rmSync(many, { recursive: true, force: true });
  }, 240_000);

  it('explains usage errors with exit code 2', async () => {
    const missing = await run('upload', dir, '--kb', 'nope', '--account', '5');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('kb-ingest: No knowledge base "nope" in account 5.\n');
    const badProvider = await run('create', '--kb', 'x', '--account', '5', '--embedder', 'cohere');
    expect(badProvider.code).toBe(2);
    expect(badProvider.stderr).toContain("argument 'cohere' is invalid");
    const badName = await run('create', '--kb', 'no spaces', '--account', '5');
    expect(badName.code).toBe(2);
    expect(badName.stderr).toMatch(/^kb-ingest: name: /);
  }, 120_000);
});

/** Local mode: `npm start` holds the PGlite data dir; the CLI must go through its socket. */
describe('kb-ingest CLI in local mode, next to a running service', () => {
  it('connects through the serving process instead of opening the data dir', async () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-cli-local-'));
    const env: NodeJS.ProcessEnv = { ...process.env, SWITCHBOARD_DATA_DIR: base, LOG_LEVEL: 'silent' };
    delete env.DATABASE_URL;
    const { config } = loadConfig({ env });
    // Stands in for `npm start`: serves the data dir (port 0: the lock file names the port).
    const service = await connectPostgres({
      ...config.database,
      local: { ...config.database.local, port: 0 },
    });
    try {
      expect(service.mode).toBe('local');
      await migratePostgres(service, CLI_POSTGRES_MIGRATIONS);
      fs.writeFileSync(path.join(base, 'hours.md'), '# Opening hours\nWe open at 9 am, Monday to Saturday.');
      const cli = (...args: string[]) =>
        new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
          execFile(
            process.execPath,
            [path.join(REPO_ROOT, 'kb-ingest/bin/kb-ingest.js'), ...args],
            { cwd: REPO_ROOT, env, timeout: 60_000 },
            (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
          );
        });
      const created = await cli('create', '--kb', 'local', '--account', '1');
      expect(created.code, created.stderr).toBe(0);
      expect(created.stderr).toBe('');
      const upload = await cli(
        'upload',
        path.join(base, 'hours.md'),
        '--kb',
        'local',
        '--account',
        '1',
        '--json',
      );
      expect(upload.stderr).toBe('');
      expect(JSON.parse(upload.stdout)).toMatchObject({ added: 1, failed: 0 });
      // The service sees what the CLI wrote: one database, not two.
      const rows = await service.pool.query(`SELECT source FROM kb_documents`);
      expect(rows.rows).toEqual([{ source: 'hours.md' }]);
    } finally {
      await service.close();
      fs.rmSync(base, { recursive: true, force: true });
    }
  }, 240_000);
});

/** Run where `npm start` never ran (or with another SWITCHBOARD_DATA_DIR): no empty database by accident. */
describe('kb-ingest CLI in local mode with no database', () => {
  it('names the directory it looked in, says how to point elsewhere, exits 2 and creates nothing', async () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-cli-none-'));
    const env: NodeJS.ProcessEnv = { ...process.env, SWITCHBOARD_DATA_DIR: base, LOG_LEVEL: 'silent' };
    delete env.DATABASE_URL;
    try {
      for (const args of [['list'], ['create', '--kb', 'faq', '--account', '1'], ['list', '--json']]) {
        const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
          execFile(
            process.execPath,
            [path.join(REPO_ROOT, 'kb-ingest/bin/kb-ingest.js'), ...args],
            { cwd: REPO_ROOT, env, timeout: 60_000 },
            (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
          );
        });
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr).toContain(`No local database at ${path.join(base, 'postgres')}`);
        expect(result.stderr).toContain('SWITCHBOARD_DATA_DIR=');
        expect(result.stderr).toContain('DATABASE_URL');
        expect(result.stdout).not.toContain('No knowledge bases');
      }
      expect(fs.existsSync(path.join(base, 'postgres', 'PG_VERSION'))).toBe(false);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  }, 120_000);
});
