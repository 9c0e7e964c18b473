import type { FastifyInstance } from 'fastify';
import {
  clickhouseHealth,
  createHttpServer,
  type ClickHouse,
  type Logger,
  type SwitchboardConfig,
} from '@switchboard/core';
import { createAccountAuth } from './api/account-auth.js';
import { registerApiRoutes } from './api/metrics-route.js';
import { registerAttachmentRoutes } from './api/attachments-route.js';
import { registerPanelRoutes } from './panel/panel-routes.js';

/** What the read side needs: it reads ClickHouse only, never PostgreSQL. */
export interface ServeDependencies {
  config: SwitchboardConfig;
  clickhouse: ClickHouse;
}

/** The read-side routes: metrics and export API, conversation insight, the panel page. */
export async function registerServeRoutes(app: FastifyInstance, deps: ServeDependencies): Promise<void> {
  const auth = createAccountAuth(deps.config.analytics);
  await registerApiRoutes(app, {
    clickhouse: deps.clickhouse,
    auth,
    maxExportRows: deps.config.analytics.maxExportRows,
    timezoneOf: (accountId) =>
      deps.config.analytics.accounts.find((a) => a.accountId === accountId)?.timezone ?? 'UTC',
  });
  await registerPanelRoutes(app, { clickhouse: deps.clickhouse, auth });
  await registerAttachmentRoutes(app, { clickhouse: deps.clickhouse, auth, config: deps.config });
}

/**
 * analytics-serve on its own (the "web" half of the split): stateless, scale it with the readers;
 * GET /healthz reports ClickHouse.
 */
export function buildAnalyticsServe(deps: ServeDependencies & { logger: Logger }): FastifyInstance {
  const app = createHttpServer({
    logger: deps.logger,
    service: 'analytics-serve',
    checks: { clickhouse: clickhouseHealth(deps.clickhouse) },
  });
  void app.register((scope) => registerServeRoutes(scope, deps));
  return app;
}
