import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { ClickHouse } from '@switchboard/core';
import { computeMetrics } from '../../metrics/compute-metrics.js';
import { bucketSchema, filtersSchema } from '../../metrics/filters.js';
import { isTimeZone } from '../../metrics/time-zone-buckets.js';
import { exportRows, exportStream } from '../../export/export-rows.js';
import type { createAccountAuth } from './account-auth.js';

export interface ApiRouteDependencies {
  clickhouse: Pick<ClickHouse, 'client'>;
  auth: ReturnType<typeof createAccountAuth>;
  maxExportRows: number;
  /** The account's configured time zone (analytics.accounts[].timezone). */
  timezoneOf(accountId: number): string;
}

const metricsQuerySchema = z
  .object({
    bucket: bucketSchema.optional(),
    /** Overrides the account's time zone for this request's buckets. */
    timezone: z
      .string()
      .max(64)
      .refine(isTimeZone, 'unknown time zone (an IANA name such as Europe/London)')
      .optional(),
  })
  .passthrough();
const exportQuerySchema = z.object({ format: z.enum(['csv', 'ndjson']).default('csv') }).passthrough();

/** 400 with zod's issues (field and message; never the values, which may be phone numbers). */
export function badRequest(reply: FastifyReply, error: z.ZodError): FastifyReply {
  return reply.code(400).send({
    error: 'invalid query',
    issues: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}

/**
 * Errors the routes did not answer themselves (ClickHouse down or refusing a query): a short
 * message, never the internal error text; the cause is logged.
 */
function answerUnexpectedError(app: FastifyInstance): void {
  app.setErrorHandler((error: { statusCode?: number; message?: string }, request, reply) => {
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 503;
    if (status >= 500)
      request.log.error({ err: error.message, url: request.routeOptions.url }, 'analytics: query failed');
    return reply
      .code(status)
      .send({ error: status >= 500 ? 'analytics storage is unavailable, try again later' : 'bad request' });
  });
}

/** Pages with an already-read first result put back in front. */
async function* replayFirst<T>(first: IteratorResult<T>, rest: AsyncGenerator<T>): AsyncGenerator<T> {
  if (first.done) return;
  yield first.value;
  yield* rest;
}

/** GET /api/metrics and GET /api/export/{conversations,messages}: all scoped to the token's account. */
export async function registerApiRoutes(app: FastifyInstance, deps: ApiRouteDependencies): Promise<void> {
  answerUnexpectedError(app);
  app.get('/api/metrics', { preHandler: deps.auth.requireAccount }, async (request, reply) => {
    const query = metricsQuerySchema.safeParse(request.query);
    const filters = filtersSchema.safeParse(request.query);
    if (!query.success) return badRequest(reply, query.error);
    if (!filters.success) return badRequest(reply, filters.error);
    const accountId = request.analyticsAccountId!;
    return computeMetrics(
      deps.clickhouse,
      accountId,
      filters.data,
      query.data.bucket,
      query.data.timezone ?? deps.timezoneOf(accountId),
    );
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
      // The first page is read before any byte is sent: a query that fails answers an error
      // status, not a 200 whose stream then aborts half-way.
      const first = await pages.next();
      const stream = exportStream(replayFirst(first, pages), kind, format);
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
