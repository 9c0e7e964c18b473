import type { FastifyInstance } from 'fastify';
import {
  clickhouseHealth,
  createHttpServer,
  postgresHealth,
  type ClickHouse,
  type Database,
  type Logger,
  type SwitchboardConfig,
} from '@switchboard/core';

export interface AnalyticsDependencies {
  config: SwitchboardConfig;
  logger: Logger;
  db: Database;
  clickhouse: ClickHouse;
}

/** The analytics HTTP service: metrics and export API, account webhooks, insight panel. */
export function buildAnalyticsService(deps: AnalyticsDependencies): FastifyInstance {
  return createHttpServer({
    logger: deps.logger,
    service: 'analytics',
    checks: { postgres: postgresHealth(deps.db), clickhouse: clickhouseHealth(deps.clickhouse) },
  });
}
