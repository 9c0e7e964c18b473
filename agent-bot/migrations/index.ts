import type { PostgresMigrations } from '@switchboard/core';

/** agent-bot's PostgreSQL migrations (conversations, transcript, lanes, tools); needs core's and the outbox. */
export const postgresMigrations: PostgresMigrations = {
  part: 'agent-bot',
  dir: new URL('./postgres/', import.meta.url),
};
