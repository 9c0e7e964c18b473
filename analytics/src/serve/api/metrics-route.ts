import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { ClickHouse } from '@switchboard/core';
import { computeMetrics } from '../../metrics/compute-metrics.js';
import { bucketSchema, filtersSchema } from '../../metrics/filters.js';
import { exportRows, exportStream } from '../../export/export-rows.js';
import type { createAccountAuth } from './account-auth.js';

export interface ApiRouteDependencies {
  clickhouse: Pick<ClickHouse, 'client'>;
  auth: ReturnType<typeof createAccountAuth>;
  maxExportRows: number;
}

const metricsQuerySchema = z.object({ bucket: bucketSchema.optional() }).passthrough();
const exportQuerySchema = z.object({ format: z.enum(['csv', 'ndjson']).default('csv') }).passthrough();

/** 400 with zod's issues (field and message; never the values, which may be phone numbers). */
export function badRequest(reply: FastifyReply, error: z.ZodError): FastifyReply {
  return reply.code(400).send({
    error: 'invalid query',
    issues: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}

/** GET /api/metrics and GET /api/export/{conversations,messages}: all scoped to the token's account. */
export async function registerApiRoutes(app: FastifyInstance, deps: ApiRouteDependencies): Promise<void> {
  app.get('/api/metrics', { preHandler: deps.auth.requireAccount }, async (request, reply) => {
    const query = metricsQuerySchema.safeParse(request.query);
    const filters = filtersSchema.safeParse(request.query);
    if (!query.success) return badRequest(reply, query.error);
    if (!filters.success) return badRequest(reply, filters.error);
    return computeMetrics(deps.clickhouse, request.analyticsAccountId!, filters.data, query.data.bucket);
  });

  for (const kind of ['conversations', 'messages'] as const) {
    app.get(`/api/export/${kind}`, { preHandler: deps.auth.requireAccount }, async (request, reply) => {
      const query = exportQuerySchema.safeParse(request.query);
      const filters = filtersSchema.safeParse(request.query);
      if (!query.success) return badRequest(reply, query.error);
      if (!filters.success) return badRequest(reply, filters.error);
      const format = query.data.format;
      const pages = exportRows(deps.clickhouse, kind, request.analyticsAccountId!, filters.data, {
        maxRows: deps.maxExportRows,
      });
      const stream = exportStream(pages, kind, format);
      stream.on('error', (error) =>
        request.log.error({ err: error.message, kind }, 'analytics: export failed mid-stream'),
      );
      return reply
        .header(
          'content-type',
          format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
        )
        .header(
          'content-disposition',
          `attachment; filename="${kind}.${format === 'csv' ? 'csv' : 'ndjson'}"`,
        )
        .header('cache-control', 'no-store')
        .send(stream);
    });
  }
}
