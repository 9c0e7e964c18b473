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
import { createAccountAuth } from './api/account-auth.js';
import { registerApiRoutes } from './api/metrics-route.js';
import { registerPanelRoutes } from './panel/panel-routes.js';
import { createShipper, type Shipper } from './shipper/shipper.js';
import { registerAccountWebhookRoute } from './webhooks/account-webhook-route.js';

export interface AnalyticsDependencies {
  config: SwitchboardConfig;
  logger: Logger;
  db: Database;
  clickhouse: ClickHouse;
  /** Override config.analytics.shipper.enabled (tests drive the shipper themselves). */
  startShipper?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The outbox shipper this service runs (started on ready, stopped on close). */
    analyticsShipper: Shipper;
  }
}

/**
 * The analytics HTTP service: metrics and export API, account webhooks, insight panel, and the
 * outbox shipper, which starts when the app is ready (listen) and stops on app.close(), so
 * callers only build, listen and close.
 */
export function buildAnalyticsService(deps: AnalyticsDependencies): FastifyInstance {
  const app = createHttpServer({
    logger: deps.logger,
    service: 'analytics',
    checks: { postgres: postgresHealth(deps.db), clickhouse: clickhouseHealth(deps.clickhouse) },
  });
  const auth = createAccountAuth(deps.config.analytics);
  const shipper = createShipper({
    db: deps.db,
    clickhouse: deps.clickhouse,
    logger: deps.logger,
    options: deps.config.analytics.shipper,
  });
  app.decorate('analyticsShipper', shipper);
  void app.register(async (scope) => {
    await registerApiRoutes(scope, {
      clickhouse: deps.clickhouse,
      auth,
      maxExportRows: deps.config.analytics.maxExportRows,
    });
    await registerPanelRoutes(scope, { clickhouse: deps.clickhouse, auth });
    await registerAccountWebhookRoute(scope, { config: deps.config, db: deps.db });
  });
  const runShipper = deps.startShipper ?? deps.config.analytics.shipper.enabled;
  app.addHook('onReady', async () => {
    if (runShipper) shipper.start();
  });
  app.addHook('onClose', async () => {
    await shipper.stop();
  });
  return app;
}
