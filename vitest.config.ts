import { defineConfig } from 'vitest/config';

const shared = {
  testTimeout: 30_000,
  hookTimeout: 120_000,
  // Forks: chdb allows one data directory per process, and native addons are happier in processes.
  pool: 'forks' as const,
  // Test databases get every part's migrations (core names none of them).
  setupFiles: ['scripts/register-test-migrations.ts'],
  // Test bots listen on 127.0.0.1: the simulator, like Chatwoot ≥ 4.14, refuses private hosts without it.
  env: { SAFE_FETCH_ALLOW_PRIVATE_NETWORK: 'true' },
};

const ignored = ['**/node_modules/**', '**/dist/**', 'data/**'];

/**
 * Two projects: `unit` needs nothing; `storage` (files named *.pg.test.ts) needs PostgreSQL,
 * TEST_DATABASE_URL (a schema per test) or else an in-memory PGlite per test database.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: [...ignored, '**/*.pg.test.ts'],
        },
      },
      {
        test: {
          ...shared,
          name: 'storage',
          include: ['**/*.pg.test.ts'],
          exclude: ignored,
        },
      },
    ],
  },
});
