import type pg from 'pg';

/** The one database boundary: a pg Pool or a client (inside the caller's transaction). */
export interface Queryable {
  query: pg.Pool['query'];
}

/** Runs `work` in one transaction on a client of its own; rolls back on any error. */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
