import { describe, expect, it } from 'vitest';
import { StartupError } from '../errors.js';
import { connectClickHouse } from './connect-clickhouse.js';

describe('connectClickHouse', () => {
  it('refuses clickhouse.cluster without a server URL (chdb is one process, never a cluster)', async () => {
    const error = await connectClickHouse({
      username: 'default',
      password: '',
      database: 'switchboard',
      requestTimeoutMs: 1000,
      cluster: 'analytics',
      local: { dataDir: '/tmp/never-opened' },
    }).catch((e: unknown) => e);
    expect(StartupError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      'clickhouse.cluster needs clickhouse.url (a cluster is reached through one of its servers)',
    );
  });
});
