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
import { createShipper, type Shipper } from '../shipper/shipper.js';
import { registerAccountWebhookRoute } from './account-webhooks/account-webhook-route.js';

export interface IngestDependencies {
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
 * The write side on an app: the account-webhook route (Chatwoot → outbox) and the outbox shipper
 * (outbox → ClickHouse), which starts when the app is ready (listen) and stops on app.close(), so
 * callers only build, listen and close.
 */
export function registerIngest(app: FastifyInstance, deps: IngestDependencies): void {
  const shipper = createShipper({
    db: deps.db,
    clickhouse: deps.clickhouse,
    logger: deps.logger,
    options: deps.config.analytics.shipper,
  });
  app.decorate('analyticsShipper', shipper);
  void app.register((scope) => registerAccountWebhookRoute(scope, { config: deps.config, db: deps.db }));
  const runShipper = deps.startShipper ?? deps.config.analytics.shipper.enabled;
  app.addHook('onReady', async () => {
    if (runShipper) shipper.start();
  });
  app.addHook('onClose', async () => {
    await shipper.stop();
  });
}

/**
 * analytics-ingest on its own (the "worker" half of the split): GET /healthz reports PostgreSQL
 * (the outbox) and ClickHouse (where it ships to).
 */
export function buildAnalyticsIngest(deps: IngestDependencies): FastifyInstance {
  const app = createHttpServer({
    logger: deps.logger,
    service: 'analytics-ingest',
    checks: { postgres: postgresHealth(deps.db), clickhouse: clickhouseHealth(deps.clickhouse) },
  });
  registerIngest(app, deps);
  return app;
}
