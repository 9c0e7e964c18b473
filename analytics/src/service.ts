import type { FastifyInstance } from 'fastify';
import { clickhouseHealth, createHttpServer, postgresHealth } from '@switchboard/core';
import { registerIngest, type IngestDependencies } from './ingest/build-ingest.js';
import { registerServeRoutes } from './serve/build-serve.js';

export type AnalyticsDependencies = IngestDependencies;

/**
 * Local mode: ingest and serve in one process and on one port (`server.analytics`), as
 * `npm start` and the single-process entry point (src/main.ts) run them. Production runs the two
 * halves apart (src/ingest/main.ts, src/serve/main.ts); the routes are the same.
 */
export function buildAnalyticsService(deps: AnalyticsDependencies): FastifyInstance {
  const app = createHttpServer({
    logger: deps.logger,
    service: 'analytics',
    checks: { postgres: postgresHealth(deps.db), clickhouse: clickhouseHealth(deps.clickhouse) },
  });
  registerIngest(app, deps);
  void app.register((scope) => registerServeRoutes(scope, deps));
  return app;
}
