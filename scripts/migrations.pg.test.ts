import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_POSTGRES_MIGRATIONS } from './migrations.js';

describe('every part registers its PostgreSQL migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(); // the registered list: ALL_POSTGRES_MIGRATIONS
  });
  afterAll(async () => {
    await db.drop();
  });

  it('keeps the order and the migrations tables databases were created with', () => {
    expect(ALL_POSTGRES_MIGRATIONS.map((entry) => entry.part)).toEqual([
      'core',
      'kb-ingest',
      'analytics',
      'agent-bot',
    ]);
  });

  it('records each part in its own table, the outbox still under pgmigrations_analytics', async () => {
    const applied = async (table: string): Promise<string[]> =>
      (await db.pool.query<{ name: string }>(`SELECT name FROM ${table} ORDER BY id`)).rows.map(
        (row) => row.name,
      );
    expect(await applied('pgmigrations_core')).toEqual(['0001_extensions']);
    expect(await applied('pgmigrations_kb_ingest')).toEqual(['0001_knowledge_bases']);
    expect(await applied('pgmigrations_analytics')).toEqual([
      '0001_outbox',
      '0002_outbox_batches',
      '0003_outbox_batch_ranges',
    ]);
    expect((await applied('pgmigrations_agent_bot'))[0]).toBe('0003_tools_appointments');
    const { rows } = await db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'analytics_outbox'",
    );
    expect(rows[0]?.n).toBe(1);
  });
});
