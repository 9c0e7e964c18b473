import type { PostgresMigrations } from '@switchboard/core';

/**
 * The analytics outbox (written by every producer in their own transactions, read by the
 * analytics shipper); needs core's. Its migrations table keeps the name `pgmigrations_analytics`
 * from when analytics owned these files, so existing databases see no change.
 */
export const postgresMigrations: PostgresMigrations = {
  part: 'analytics',
  dir: new URL('./postgres/', import.meta.url),
};
