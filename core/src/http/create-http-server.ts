import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { checkHealth, type HealthCheck } from '../health/check-dependencies.js';

export interface HttpServerOptions {
  logger: Logger;
  service: string;
  checks: Record<string, HealthCheck>;
  /** Largest request body accepted, in bytes. */
  bodyLimit?: number;
}

/**
 * A Fastify instance with what every Switchboard service shares: the logger, a body limit
 * and `GET /healthz` answering the state of each dependency (503 when one is down, so a
 * load balancer or docker-compose health check takes the instance out).
 */
export function createHttpServer(options: HttpServerOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // Per-request access logs would dominate at webhook rates; services log what matters.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: true,
  });
  const startedAt = new Date().toISOString();
  app.get('/healthz', async (_request, reply) => {
    const health = await checkHealth(options.checks);
    return reply
      .code(health.ok ? 200 : 503)
      .send({ service: options.service, status: health.ok ? 'ok' : 'degraded', startedAt, ...health });
  });
  return app;
}
