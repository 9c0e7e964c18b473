import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { verifyChatwootSignature } from '@switchboard/core';
import type { Database, SwitchboardConfig } from '@switchboard/core';
import { analyticsEventSchema, enqueueEvents } from '@switchboard/events';
import { conversationEventSchema, HANDLED_EVENTS, messageCreatedSchema } from './account-webhook-payload.js';
import { eventsFromConversation, eventsFromMessage } from './account-webhook-events.js';
import type { AnalyticsEventInput } from '@switchboard/events';
import { storableJson } from './storable-json.js';

export const ACCOUNT_WEBHOOK_PATH = '/webhooks/chatwoot/accounts/:accountId';

const paramsSchema = z.object({ accountId: z.coerce.number().int().positive() });

/**
 * POST /webhooks/chatwoot/accounts/:accountId: Chatwoot *account* webhooks (Settings →
 * Integrations → Webhooks), signed with the account's `accountWebhookSecret`. Unsigned or
 * badly signed deliveries are refused: this endpoint writes analytics for the whole account.
 * Answers as soon as the events are in the outbox. The same rules as the bot's webhook route:
 * 401 bad signature, 413 too large, 400 not JSON; any JSON from the authenticated account is
 * answered 200, stored (text made storable) or rejected with its reason in the body and the log;
 * 503 only when the outbox cannot be written.
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

      const delivery = header(request.headers['x-chatwoot-delivery']);
      let parsedBody: unknown;
      try {
        parsedBody = JSON.parse(rawBody.toString('utf8'));
      } catch {
        request.log.warn({ accountId: account.id, delivery }, 'analytics: account webhook is not JSON');
        return reply.code(400).send({ error: 'body is not JSON' });
      }
      // From here on the sender is an authenticated Chatwoot: every delivery is acknowledged 2xx
      // (stored, or rejected with its reason and logged), since Chatwoot counts anything else as
      // a failed delivery.
      const reject = (reason: string, detail: Record<string, unknown> = {}) => {
        request.log.warn(
          { accountId: account.id, delivery, reason, ...detail },
          'analytics: account webhook rejected',
        );
        return reply.code(200).send({ recorded: 0, rejected: reason });
      };
      const storable = storableJson(parsedBody);
      if (!storable.ok) return reject(storable.reason);
      const body = storable.value;
      const event = (body as { event?: unknown } | null)?.event;
      if (typeof event !== 'string' || !HANDLED_EVENTS.has(event))
        return reply.code(200).send({ recorded: 0 });

      const parsed =
        event === 'message_created'
          ? messageCreatedSchema.safeParse(body)
          : conversationEventSchema.safeParse(body);
      if (!parsed.success)
        return reject('payload not understood', {
          event,
          issues: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`),
        });
      if (parsed.data.account.id !== account.id)
        return reject('payload belongs to another account', { event });

      const events: AnalyticsEventInput[] =
        parsed.data.event === 'message_created'
          ? eventsFromMessage(account, parsed.data as z.infer<typeof messageCreatedSchema>)
          : eventsFromConversation(account, parsed.data as z.infer<typeof conversationEventSchema>);
      // Checked here, apart from storage: an event the schema refuses is this delivery's fault
      // (rejected, 2xx), a failing insert is storage's (503).
      const invalid = events.find((e) => !analyticsEventSchema.safeParse(e).success);
      if (invalid) return reject('event not valid', { event });
      try {
        await enqueueEvents(deps.db.pool, events);
      } catch (error) {
        request.log.error(
          { accountId: account.id, delivery, event, err: (error as Error).message },
          'analytics: could not record account webhook',
        );
        return reply.code(503).send({ error: 'could not record, try again later' });
      }
      return reply.code(200).send({ recorded: events.length });
    });
  });
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
