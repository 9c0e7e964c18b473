import type { ClickHouseMigrations, PostgresMigrations } from '@switchboard/core';
import { postgresMigrations as core } from '@switchboard/core/migrations';
import { postgresMigrations as kbIngest } from '@switchboard/kb-ingest/migrations';
import { postgresMigrations as outbox } from '@switchboard/events/migrations';
import { postgresMigrations as agentBot } from '@switchboard/agent-bot/migrations';
import { clickhouseMigrations } from '@switchboard/analytics/migrations';

/**
 * Every part's PostgreSQL migrations, in dependency order (core creates the extensions; agent-bot's
 * tables come last). The order and the part names (migrations tables) are those databases were
 * created with: never reorder or rename.
 */
export const ALL_POSTGRES_MIGRATIONS: readonly PostgresMigrations[] = [core, kbIngest, outbox, agentBot];

export const ALL_CLICKHOUSE_MIGRATIONS: ClickHouseMigrations = clickhouseMigrations;
