import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { verifyChatwootSignature } from '@switchboard/core';
import type { Database, SwitchboardConfig } from '@switchboard/core';
import { enqueueEvents } from '@switchboard/events';
import { conversationEventSchema, HANDLED_EVENTS, messageCreatedSchema } from './account-webhook-payload.js';
import { eventsFromConversation, eventsFromMessage } from './account-webhook-events.js';
import type { AnalyticsEventInput } from '@switchboard/events';

export const ACCOUNT_WEBHOOK_PATH = '/webhooks/chatwoot/accounts/:accountId';

const paramsSchema = z.object({ accountId: z.coerce.number().int().positive() });

/**
 * POST /webhooks/chatwoot/accounts/:accountId: Chatwoot *account* webhooks (Settings →
 * Integrations → Webhooks), signed with the account's `accountWebhookSecret`. Unsigned or
 * badly signed deliveries are refused: this endpoint writes analytics for the whole account.
 * Answers as soon as the events are in the outbox (Chatwoot never retries account webhooks,
 * so a 5xx here is logged loudly).
 */
export async function registerAccountWebhookRoute(
  app: FastifyInstance,
  deps: { config: SwitchboardConfig; db: Pick<Database, 'pool'> },
): Promise<void> {
  await app.register(async (scope) => {
    // The signature covers the exact bytes: keep the raw body, parse it ourselves.
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: deps.config.chatwoot.maxWebhookBytes },
      (_req, body, done) => done(null, body),
    );

    scope.post(ACCOUNT_WEBHOOK_PATH, async (request, reply) => {
      const params = paramsSchema.safeParse(request.params);
      if (!params.success) return reply.code(404).send({ error: 'unknown account' });
      const account = deps.config.chatwoot.accounts.find((a) => a.id === params.data.accountId);
      if (!account) return reply.code(404).send({ error: 'unknown account' });
      if (!account.accountWebhookSecret) {
        request.log.warn(
          { accountId: account.id },
          'analytics: account webhook refused: no accountWebhookSecret configured',
        );
        return reply.code(401).send({ error: 'account webhooks are not enabled for this account' });
      }
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const check = verifyChatwootSignature({
        secret: account.accountWebhookSecret,
        rawBody,
        signature: header(request.headers['x-chatwoot-signature']),
        timestamp: header(request.headers['x-chatwoot-timestamp']),
        maxSkewSeconds: deps.config.chatwoot.signatureMaxSkewSeconds,
      });
      if (check !== 'valid') {
        request.log.warn({ accountId: account.id, reason: check }, 'analytics: account webhook refused');
        return reply.code(401).send({ error: 'invalid signature' });
      }

      let body: unknown;
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        return reply.code(400).send({ error: 'body is not JSON' });
      }
      const event = (body as { event?: unknown } | null)?.event;
      if (typeof event !== 'string' || !HANDLED_EVENTS.has(event))
        return reply.code(200).send({ recorded: 0 });

      const parsed =
        event === 'message_created'
          ? messageCreatedSchema.safeParse(body)
          : conversationEventSchema.safeParse(body);
      if (!parsed.success) {
        request.log.warn(
          {
            accountId: account.id,
            event,
            issues: parsed.error.issues.slice(0, 3).map((i) => i.path.join('.')),
          },
          'analytics: account webhook payload not understood',
        );
        return reply.code(422).send({ error: 'payload not understood', event });
      }
      if (parsed.data.account.id !== account.id)
        return reply.code(403).send({ error: 'payload belongs to another account' });

      const events: AnalyticsEventInput[] =
        parsed.data.event === 'message_created'
          ? eventsFromMessage(account, parsed.data as z.infer<typeof messageCreatedSchema>)
          : eventsFromConversation(account, parsed.data as z.infer<typeof conversationEventSchema>);
      try {
        await enqueueEvents(deps.db.pool, events);
      } catch (error) {
        request.log.error(
          { accountId: account.id, event, err: (error as Error).message },
          'analytics: could not record account webhook',
        );
        return reply.code(500).send({ error: 'could not record' });
      }
      return reply.code(200).send({ recorded: events.length });
    });
  });
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
