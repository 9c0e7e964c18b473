import type pg from 'pg';
import type { Sql } from 'sql-template-tag';

/** A pool or a transaction's client: store functions run on either. */
export type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * Runs one sql-template-tag statement. Its placeholders are numbered when the statement is
 * rendered, so fragments (the outbox insert, a policy's SET items) compose without anyone
 * counting parameters.
 */
export function run<Row extends pg.QueryResultRow = Record<string, unknown>>(
  db: Queryable,
  statement: Sql,
): Promise<pg.QueryResult<Row>> {
  return db.query<Row>(statement.text, statement.values);
}

/** One transaction: a state change and its analytics events commit together. */
export { inTransaction } from '@switchboard/core';
