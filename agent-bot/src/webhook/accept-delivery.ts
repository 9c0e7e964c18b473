import type { Logger } from '@switchboard/core';
import { recordRejectedDelivery } from '../store/rejected-deliveries.js';
import { changesNothingTracked } from '../store/webhook-intake.js';
import { claimedAccountId, eventNameOf, parseWebhook } from './chatwoot-payloads.js';
import { ingestWebhook, ownDeliveryUnchanged, type WebhookIntake } from './ingest-event.js';
import { acceptWidgetTrigger } from './widget-trigger.js';
import { jsonNestingDepth, MAX_JSON_DEPTH, storableJson, storableText } from './storable-json.js';
import { storageUnavailable, storeFailureCode, storeFailureDetail } from './storage-errors.js';

/** What the route answers: the status and a short body (never an internal error's text). */
export interface DeliveryAnswer {
  status: 200 | 400 | 401 | 500;
  body: Record<string, string>;
}

export interface AuthenticatedDelivery {
  /** The account whose bot signed the delivery. */
  accountId: number;
  /** X-Chatwoot-Delivery as sent (checked here). */
  deliveryId: string | null;
  text: string;
}

/** Chatwoot's delivery ids are UUIDs; anything far longer is not one (and would not fit a btree key). */
const MAX_DELIVERY_ID_CHARS = 200;

/**
 * Storage down: 500, the one 5xx Chatwoot retries (429/500, 3 attempts 3 s apart,
 * RETRYABLE_AGENT_BOT_STATUSES). A 503 is not retried: the message would be lost and the
 * conversation opened to a human at once; a short outage now costs a few seconds instead.
 */
const STORAGE_DOWN: DeliveryAnswer = { status: 500, body: { error: 'storage unavailable' } };

/**
 * Decides what an authenticated delivery becomes. Anything that parses as JSON is acknowledged
 * 2xx, because every other answer makes Chatwoot hand the conversation to a human (and it retries
 * only 429/500): stored when usable, recorded as rejected with its reason when not (the payload
 * kept, sanitised). 400 only for a body that is not JSON; 401 for a body claiming an account
 * other than its signer's; 500 (retried) only when the storage is down. Each non-2xx and each rejection
 * is logged with the delivery id and the reason, never the body (phone numbers, names).
 */
export async function acceptDelivery(
  intake: WebhookIntake,
  logger: Logger,
  delivery: AuthenticatedDelivery,
  loggedOnce: Set<string>,
): Promise<DeliveryAnswer> {
  const { accountId, text } = delivery;
  const context = {
    delivery: delivery.deliveryId?.slice(0, MAX_DELIVERY_ID_CHARS) ?? null,
    account: accountId,
  };

  const reject = async (
    event: string,
    reason: string,
    copy: { payload: unknown } | { rawBody: string },
  ): Promise<DeliveryAnswer> => {
    try {
      await recordRejectedDelivery(intake.db.pool, {
        deliveryId: context.delivery,
        accountId,
        event,
        reason,
        payload: 'payload' in copy ? copy.payload : null,
        rawBody: 'rawBody' in copy ? copy.rawBody : null,
      });
    } catch (error) {
      logger.error(
        { ...context, event, reason, code: storeFailureCode(error) },
        'webhook answered 500 (Chatwoot retries): the rejected delivery could not be recorded',
      );
      return STORAGE_DOWN;
    }
    logger.warn({ ...context, event, reason }, 'webhook delivery rejected (acknowledged, recorded)');
    return { status: 200, body: { status: 'rejected' } };
  };

  let parsed: unknown;
  try {
    // V8's JSON.parse is iterative: any depth parses, the depth check below keeps it from the rest.
    parsed = JSON.parse(text);
  } catch {
    logger.warn({ ...context, reason: 'body is not JSON' }, 'webhook answered 400');
    return { status: 400, body: { error: 'malformed JSON' } };
  }
  if (jsonNestingDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    // Not walked: the copy is the text itself, made storable.
    return reject('(unread)', `nested deeper than ${MAX_JSON_DEPTH} levels`, { rawBody: storableText(text) });
  }
  // A conversation_updated of Chatwoot's timestamps only would store nothing: answered before
  // the sanitiser and the parse walk it (store/webhook-intake.ts; about 1.8 per turn).
  const early = parsed as { event?: unknown; changed_attributes?: unknown } | null;
  if (
    typeof early?.event === 'string' &&
    changesNothingTracked(early.event, early.changed_attributes) &&
    claimedAccountId(parsed) === accountId
  ) {
    return { status: 200, body: { status: 'unchanged' } };
  }
  // The bot's own echo or status receipt showing what this process stored: the same, before the walk.
  if (
    claimedAccountId(parsed) === accountId &&
    (delivery.deliveryId === null || delivery.deliveryId.length <= MAX_DELIVERY_ID_CHARS) &&
    ownDeliveryUnchanged(intake, accountId, parsed)
  ) {
    return { status: 200, body: { status: 'unchanged' } };
  }
  const body = storableJson(parsed);
  const eventName = eventNameOf(body);
  const claimed = claimedAccountId(body);
  if (claimed !== null && claimed !== accountId) {
    logger.warn({ ...context, reason: 'account does not match the signer' }, 'webhook answered 401');
    return { status: 401, body: { error: 'unauthorized' } };
  }
  if (delivery.deliveryId !== null && delivery.deliveryId.length > MAX_DELIVERY_ID_CHARS) {
    return reject(eventName, `delivery id longer than ${MAX_DELIVERY_ID_CHARS} characters`, {
      payload: body,
    });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body) || eventName === '(none)') {
    return reject(eventName, 'not an object with an event name', { payload: body });
  }

  if (eventName === 'webwidget_triggered') {
    // Not a message or conversation event: nothing is stored, at most a greeting job is queued.
    // Only message events open a conversation on a failed delivery, so an error here is logged, not retried.
    try {
      return { status: 200, body: { status: await acceptWidgetTrigger(intake, accountId, body) } };
    } catch (error) {
      logger.error(
        { ...context, event: eventName, code: storeFailureCode(error) },
        'website greeting not queued',
      );
      return { status: 200, body: { status: 'ignored' } };
    }
  }
  const webhook = parseWebhook(body);
  if (webhook.kind === 'ignored') {
    if (!loggedOnce.has(`event:${webhook.eventName}`) && loggedOnce.size < 1000) {
      loggedOnce.add(`event:${webhook.eventName}`);
      logger.info({ event: webhook.eventName }, 'webhook event ignored (logged once per event name)');
    }
    return { status: 200, body: { status: 'ignored' } };
  }
  if (webhook.kind === 'rejected') return reject(webhook.eventName, webhook.reason, { payload: body });

  try {
    const outcome = await ingestWebhook(intake, accountId, context.delivery, webhook);
    return { status: 200, body: { status: outcome } };
  } catch (error) {
    const detail = storeFailureDetail(error);
    const code = detail.code;
    if (storageUnavailable(error)) {
      logger.error(
        { ...context, event: eventName, reason: 'storage unavailable', code },
        'webhook answered 500 (Chatwoot retries): storage down',
      );
      return STORAGE_DOWN;
    }
    // A value the checks above let through and PostgreSQL refused, or a bug: the delivery cannot
    // succeed on a retry, so it is kept for a fix and a replay instead of handing off the customer.
    logger.error({ ...context, event: eventName, ...detail }, 'webhook delivery could not be stored');
    return reject(eventName, `not storable (${code})`, { payload: body });
  }
}
