import type { PostgresMigrations } from '../src/postgres/migrate-postgres.js';

/** core's own PostgreSQL migrations (the extensions every other part needs): always applied first. */
export const postgresMigrations: PostgresMigrations = {
  part: 'core',
  dir: new URL('./postgres/', import.meta.url),
};
