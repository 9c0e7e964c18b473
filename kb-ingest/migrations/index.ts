import type { PostgresMigrations } from '@switchboard/core';

/** kb-ingest's PostgreSQL migrations (knowledge bases, documents, chunks); needs core's. */
export const postgresMigrations: PostgresMigrations = {
  part: 'kb-ingest',
  dir: new URL('./postgres/', import.meta.url),
};
