import { createClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import { connectClickHouse, migrateClickHouse, type ClickHouse } from '@switchboard/core';
import { createTestClickHouse, testDataDir } from '@switchboard/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { clickhouseMigrations } from '../migrations/index.js';
import { computeMetrics } from './metrics/compute-metrics.js';
import { filtersSchema } from './metrics/filters.js';
import { insertEvents, seededEvents, SEED_RANGE } from './testing/seed-dataset.js';

const opened: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const ch of opened.reverse()) await ch.close();
});

/**
 * Versions before 2026-12 wrote local-mode analytics to chdb's `default` database (chdb ignored
 * clickhouse.database). Upgrading must keep every number a manager read before.
 */
describe('upgrading a local-mode analytics store written to `default`', () => {
  it('keeps every metric, and new events still reach the per-conversation totals', async () => {
    // Opens (and empties) this process's chdb directory first.
    opened.push(await createTestClickHouse({ migrate: false }));
    const dataDir = testDataDir();
    const client = createClient({ connection: createChdbConnection({ path: dataDir }) } as Parameters<
      typeof createClient
    >[0]);
    const legacy: ClickHouse = {
      client,
      database: 'default',
      mode: 'local',
      displayUrl: '',
      close: () => client.close(),
    };
    opened.push(legacy);
    await migrateClickHouse(legacy, clickhouseMigrations);
    const events = seededEvents();
    const late = events.filter((e) => e.conversationId === 103);
    await insertEvents(
      legacy,
      events.filter((e) => e.conversationId !== 103),
    );
    const filters = filtersSchema.parse(SEED_RANGE);

    const upgraded = await connectClickHouse({
      username: 'default',
      password: '',
      database: 'switchboard',
      requestTimeoutMs: 60_000,
      local: { dataDir },
    });
    opened.push(upgraded);
    await migrateClickHouse(upgraded, clickhouseMigrations);
    await insertEvents(upgraded, late);

    // The reference: the same events written to a fresh database of the new version.
    const fresh = await createTestClickHouse();
    opened.push({ close: () => fresh.drop() });
    await insertEvents(fresh, events);
    expect(await computeMetrics(upgraded, 1, filters)).toEqual(await computeMetrics(fresh, 1, filters));
    const left = await (
      await upgraded.client.query({
        query: "SELECT name FROM system.tables WHERE database = 'default'",
        format: 'JSONEachRow',
      })
    ).json();
    expect(left).toEqual([]);
  });
});
