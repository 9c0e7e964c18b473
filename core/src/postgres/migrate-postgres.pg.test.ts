import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { postgresMigrations as coreMigrations } from '../../migrations/index.js';
import { migratePostgres } from './migrate-postgres.js';

describe('PostgreSQL migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrations: [coreMigrations] });
  });
  afterAll(async () => {
    await db.drop();
  });

  it('creates the vector extension and can store and rank vectors', async () => {
    const { rows } = await db.pool.query<{ extversion: string }>(
      "SELECT extversion FROM pg_extension WHERE extname = 'vector'",
    );
    expect(rows[0]?.extversion).toMatch(/^0\.8\./);
    await db.pool.query('CREATE TABLE probe (id int, v vector(3))');
    await db.pool.query("INSERT INTO probe VALUES (1, '[1,0,0]'), (2, '[0,1,0]')");
    const nearest = await db.pool.query<{ id: number }>(
      "SELECT id FROM probe ORDER BY v <=> '[0.9,0.1,0]' LIMIT 1",
    );
    expect(nearest.rows[0]?.id).toBe(1);
  });

  it('is idempotent: a second run applies nothing', async () => {
    const again = await migratePostgres(db, [coreMigrations]);
    expect(again.flatMap((part) => part.applied)).toEqual([]);
  });

  it('refuses a list naming a part twice (one migrations table per part)', async () => {
    await expect(migratePostgres(db, [coreMigrations, coreMigrations])).rejects.toThrow(
      'postgres migrations of part core listed twice',
    );
  });

  it('keeps each test schema apart', async () => {
    const other = await createTestDatabase({ migrate: false });
    try {
      await other.pool.query('CREATE TABLE probe (only_here int)');
      const mine = await db.pool.query(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'probe' AND table_schema = current_schema()",
      );
      expect(mine.rows.map((r) => r.column_name)).toEqual(['id', 'v']);
    } finally {
      await other.drop();
    }
  });
});
