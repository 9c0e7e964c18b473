import type { FastifyInstance } from 'fastify';
import type { Logger, SwitchboardConfig } from '@switchboard/core';
import { authenticateWebhook } from './authenticate-webhook.js';
import { claimedAccountId, parseWebhook } from './chatwoot-payloads.js';
import { ingestWebhook, type WebhookIntake } from './ingest-event.js';

/**
 * POST /webhooks/chatwoot (signed, Chatwoot >= 4.13) and /webhooks/chatwoot/:token (URL token,
 * older Chatwoot, opt-in). Verifies, parses, stores and answers in milliseconds: Chatwoot opens
 * a pending conversation (an unwanted handoff) when a delivery fails or takes over 5 s, and
 * retries only 429/500, so 500 is returned exactly when a retry is wanted (storage down).
 */
export function registerWebhookRoute(
  app: FastifyInstance,
  engine: WebhookIntake & { config: SwitchboardConfig; logger: Logger },
): void {
  const config = engine.config.chatwoot;
  const loggedUnknown = new Set<string>();

  void app.register(async (scope) => {
    // The signature covers the exact bytes: keep the raw body, parse JSON ourselves.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: config.maxWebhookBytes },
      (_req, body, done) => done(null, body),
    );

    const handler = async (
      request: { body: unknown; headers: Record<string, string | string[] | undefined>; params: unknown },
      reply: { code(status: number): { send(payload: unknown): unknown } },
    ) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const header = (name: string): string | undefined => {
        const value = request.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
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
        engine.logger.warn({ why: auth.why }, 'webhook refused: not authenticated');
        return reply.code(401).send({ error: 'unauthorized' });
      }
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return reply.code(400).send({ error: 'malformed JSON' });
      }
      if (claimedAccountId(body) !== auth.account.id) {
        engine.logger.warn(
          { account: auth.account.id },
          'webhook refused: account does not match the signer',
        );
        return reply.code(401).send({ error: 'unauthorized' });
      }
      const parsed = parseWebhook(body);
      if (parsed.kind === 'ignored') {
        if (!loggedUnknown.has(parsed.eventName)) {
          loggedUnknown.add(parsed.eventName);
          engine.logger.info(
            { event: parsed.eventName },
            'webhook event ignored (logged once per event name)',
          );
        }
        return reply.code(200).send({ status: 'ignored' });
      }
      if (parsed.kind === 'invalid') {
        engine.logger.warn(
          { event: parsed.eventName, issues: parsed.issues },
          'webhook payload does not match the contract',
        );
        return reply.code(400).send({ error: 'invalid payload', event: parsed.eventName });
      }
      const outcome = await ingestWebhook(
        engine,
        auth.account.id,
        header('x-chatwoot-delivery') ?? null,
        parsed,
      );
      return reply.code(200).send({ status: outcome });
    };

    scope.post('/webhooks/chatwoot', handler);
    scope.post('/webhooks/chatwoot/:token', handler);
  });
}
