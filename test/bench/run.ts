import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '@switchboard/core';

/**
 * `npm run bench [filter]`: runs every `<part>/bench/*.bench.ts` in turn. Each prints its own
 * table with our figures and a baseline side by side; this runner only sequences them, so that
 * one benchmark never competes with another for the machine's two cores.
 */
// The benchmarks' bots listen on 127.0.0.1: the simulator refuses private hosts without this, as
// Chatwoot ≥ 4.14 does (read when the simulator is first imported, below).
process.env.SAFE_FETCH_ALLOW_PRIVATE_NETWORK ??= 'true';
const filter = process.argv[2];
const parts = ['core', 'kb-ingest', 'analytics', 'agent-bot', 'dashboards', 'test'];
const files = parts
  .flatMap((part) => {
    const dir = path.join(REPO_ROOT, part, 'bench');
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .filter((name) => name.endsWith('.bench.ts'))
      .map((name) => `${part}/bench/${name}`);
  })
  .filter((file) => !filter || file.includes(filter))
  .sort();

if (files.length === 0) {
  console.error(`no benchmark matches ${filter ?? '*/bench/*.bench.ts'}`);
  process.exit(1);
}
// Benchmarks compare the real PostgreSQL with PGlite: bring up the throw-away PostgreSQL 15 +
// pgvector server when no URL is given (the script installs it when missing; as root only).
if (!process.env.BENCH_DATABASE_URL && !process.env.TEST_DATABASE_URL) {
  try {
    const url = execFileSync('bash', [path.join(REPO_ROOT, 'scripts/postgres-test-server.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
    process.env.BENCH_DATABASE_URL = url;
    console.log(`real PostgreSQL for the benchmarks: ${url}`);
  } catch {
    console.log('no real PostgreSQL available (scripts/postgres-test-server.sh failed): PGlite figures only');
  }
}

for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const started = performance.now();
  const module = (await import(pathToFileURL(path.join(REPO_ROOT, file)).href)) as {
    default: () => Promise<void>;
  };
  await module.default();
  console.log(`(${file}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
