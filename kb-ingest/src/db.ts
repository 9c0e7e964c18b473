import type pg from 'pg';

/** The one database boundary: a pg Pool or a client (inside the caller's transaction). */
export interface Queryable {
  query: pg.Pool['query'];
}

export { inTransaction } from '@switchboard/core';
