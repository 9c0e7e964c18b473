import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger, SwitchboardConfig } from '@switchboard/core';
import { acceptDelivery } from './accept-delivery.js';
import { authenticateWebhook } from './authenticate-webhook.js';
import type { WebhookIntake } from './ingest-event.js';

/**
 * POST /webhooks/chatwoot (signed, Chatwoot >= 4.13) and /webhooks/chatwoot/:token (URL token,
 * older Chatwoot, opt-in). Verifies, parses, stores and answers in milliseconds: Chatwoot opens
 * a pending conversation (an unwanted handoff) when a delivery fails or takes over 5 s. What a
 * verified body becomes is accept-delivery.ts's: 2xx for anything that parses as JSON.
 * Answers: 401 not authenticated, 413 too large, 400 not JSON, 500 storage down (Chatwoot retries 429/500 only).
 */
export function registerWebhookRoute(
  app: FastifyInstance,
  engine: WebhookIntake & { config: SwitchboardConfig; logger: Logger },
): void {
  const config = engine.config.chatwoot;
  const loggedOnce = new Set<string>();

  void app.register(async (scope) => {
    // The signature covers the exact bytes: keep the raw body, parse JSON ourselves.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: config.maxWebhookBytes },
      (_req, body, done) => done(null, body),
    );
    // Errors before the handler runs (a body over the limit, an aborted upload): logged with
    // the delivery id like every other non-2xx, answered without the framework's text.
    scope.setErrorHandler((error: { statusCode?: number; code?: string }, request, reply) => {
      const status =
        error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      engine.logger.warn(
        {
          delivery: deliveryIdOf(request)?.slice(0, 200) ?? null,
          reason: error.code ?? 'request error',
          status,
        },
        `webhook answered ${status}`,
      );
      return reply.code(status).send({
        error: status === 413 ? 'payload too large' : status === 500 ? 'internal error' : 'bad request',
      });
    });

    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const header = (name: string): string | undefined => {
        const value = request.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      const deliveryId = deliveryIdOf(request);
      const auth = authenticateWebhook(
        config.accounts,
        raw,
        {
          signature: header('x-chatwoot-signature'),
          timestamp: header('x-chatwoot-timestamp'),
          urlToken: (request.params as { token?: string }).token,
        },
        Math.floor(Date.now() / 1000),
        config.signatureMaxSkewSeconds,
      );
      if (!auth.ok) {
        engine.logger.warn(
          { delivery: deliveryId?.slice(0, 200) ?? null, reason: `not authenticated (${auth.why})` },
          'webhook answered 401',
        );
        return reply.code(401).send({ error: 'unauthorized' });
      }
      const answer = await acceptDelivery(
        engine,
        engine.logger,
        { accountId: auth.account.id, deliveryId, text: raw.toString('utf8') },
        loggedOnce,
      );
      return reply.code(answer.status).send(answer.body);
    };

    scope.post('/webhooks/chatwoot', handler);
    scope.post('/webhooks/chatwoot/:token', handler);
  });
}

function deliveryIdOf(request: FastifyRequest): string | null {
  const value = request.headers['x-chatwoot-delivery'];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}
