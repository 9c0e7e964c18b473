import Fastify, { type FastifyInstance } from 'fastify';
import type { SimulatorContext } from '../context.js';
import { registerAccountRoutes } from './account-routes.js';
import { registerAdminRoutes } from './admin-routes.js';
import { registerBlobRoutes } from './blob-routes.js';
import { registerConversationRoutes } from './conversation-routes.js';
import { ChatwootHttpError, badRequest, internalError } from './http-errors.js';
import { registerMessageRoutes } from './message-routes.js';
import { parseMultipart, parseUrlEncoded } from './multipart.js';

/** Chatwoot accepts 40 MB uploads; a little more leaves room for the multipart framing. */
const BODY_LIMIT = 45 * 1024 * 1024;

interface Timing {
  startedAt: number;
  startedHr: number;
  responseBody?: string;
}
const timings = new WeakMap<object, Timing>();

/**
 * The simulator's HTTP face: Chatwoot's API paths, ActiveStorage blob routes and `/_simulator/*`
 * control routes for the playground. Every call outside `/_simulator` is recorded.
 */
export function createSimulatorServer(
  context: SimulatorContext,
  extraRoutes: (app: FastifyInstance) => void = () => undefined,
  onApiRoute: (route: { method: string; url: string }) => void = () => undefined,
): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT });
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (route.url.startsWith('/api/') && method !== 'HEAD') onApiRoute({ method, url: route.url });
    }
  });

  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      done(badRequest(), undefined);
    }
  });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, parseUrlEncoded(String(body)));
    },
  );
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (request, body, done) => {
    parseMultipart(body as Buffer, String(request.headers['content-type']))
      .then((form) => done(null, { ...form.fields, __files: form.files }))
      .catch(() => done(badRequest(), undefined));
  });

  app.addHook('onRequest', async (request) => {
    timings.set(request, { startedAt: context.clock.nowMs(), startedHr: performance.now() });
  });
  app.addHook('onSend', async (request, _reply, payload) => {
    const timing = timings.get(request);
    if (timing && (typeof payload === 'string' || payload === null || payload === undefined)) {
      timing.responseBody = payload ?? '';
    }
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    if (request.url.startsWith('/_simulator')) return;
    const timing = timings.get(request);
    const caller = findCaller(context, request.headers['api_access_token']);
    const rawBody = request.body as Record<string, unknown> | undefined;
    let requestBody: unknown = rawBody;
    if (rawBody && typeof rawBody === 'object' && '__files' in rawBody) {
      const { __files: files, ...fields } = rawBody as Record<string, unknown> & {
        __files: { fileName: string; contentType: string; bytes: Buffer }[];
      };
      requestBody = {
        ...fields,
        attachments: files.map((file) => ({
          fileName: file.fileName,
          contentType: file.contentType,
          size: file.bytes.length,
        })),
      };
    }
    context.recorder.addApiCall({
      method: request.method,
      path: request.url.split('?')[0] ?? request.url,
      query: (request.query ?? {}) as Record<string, unknown>,
      route: request.routeOptions.url ?? null,
      caller,
      requestBody,
      statusCode: reply.statusCode,
      responseBody: parseMaybeJson(timing?.responseBody),
      startedAt: timing?.startedAt ?? context.clock.nowMs(),
      durationMs: timing ? performance.now() - timing.startedHr : 0,
    });
  });

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof ChatwootHttpError) return reply.code(error.statusCode).send(error.body);
    const statusCode = (error as { statusCode?: number }).statusCode;
    if (statusCode === 413) return reply.code(413).send({ status: 413, error: 'Payload Too Large' });
    if (statusCode === 415) return reply.code(415).send({ status: 415, error: 'Unsupported Media Type' });
    if (statusCode === 400) return reply.code(400).send(badRequest().body);
    const failure = internalError();
    return reply.code(failure.statusCode).send(failure.body);
  });
  app.setNotFoundHandler((_request, reply) => {
    // Rails' routing error for an unknown path.
    return reply.code(404).send({ status: 404, error: 'Not Found' });
  });

  registerConversationRoutes(app, context);
  registerMessageRoutes(app, context);
  registerAccountRoutes(app, context);
  registerAdminRoutes(app, context);
  registerBlobRoutes(app, context);
  extraRoutes(app);
  return app;
}

function findCaller(context: SimulatorContext, header: string | string[] | undefined) {
  const token = Array.isArray(header) ? header[0] : header;
  if (!token) return null;
  for (const user of context.store.users.values())
    if (user.accessToken === token) return { type: 'user' as const, id: user.id };
  for (const bot of context.store.agentBots.values())
    if (bot.accessToken === token) return { type: 'agent_bot' as const, id: bot.id };
  return null;
}

function parseMaybeJson(text: string | undefined): unknown {
  if (text === undefined || text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
