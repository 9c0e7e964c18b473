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

export interface AgentBotDependencies {
  config: SwitchboardConfig;
  logger: Logger;
  db: Database;
  /** Only reported by /healthz when this process also holds ClickHouse (local mode). */
  clickhouse?: ClickHouse;
}

/** The agent-bot HTTP service: Chatwoot webhooks in, health out. */
export function buildAgentBotService(deps: AgentBotDependencies): FastifyInstance {
  const app = createHttpServer({
    logger: deps.logger,
    service: 'agent-bot',
    checks: {
      postgres: postgresHealth(deps.db),
      ...(deps.clickhouse ? { clickhouse: clickhouseHealth(deps.clickhouse) } : {}),
    },
  });
  return app;
}
