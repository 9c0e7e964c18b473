import http from 'node:http';
import type { SimulatorContext } from '../context.js';
import { uuid } from '../ids.js';
import type { WebhookRecord } from '../recorder.js';
import { postJson } from './post-json.js';
import { signWebhook } from './sign-webhook.js';

/** Agent-bot deliveries are retried only on these (`RETRYABLE_AGENT_BOT_STATUSES`). */
const RETRYABLE_STATUSES = new Set([429, 500]);

export interface DeliveryRequest {
  kind: 'agent_bot' | 'account_webhook';
  targetId: number;
  url: string;
  secret: string | null;
  payload: Record<string, unknown>;
}

export interface WebhookDelivery {
  enqueue(request: DeliveryRequest): WebhookRecord;
  /** Deliveries queued or in flight. */
  pendingCount(): number;
  /** Resolves when nothing is queued or in flight. */
  idle(): Promise<void>;
  /** Stop starting new deliveries; in-flight ones finish. */
  stop(): void;
}

export interface DeliveryHooks {
  /** A final failure of an agent-bot delivery (after retries): Chatwoot's `handle_error`. */
  onAgentBotFailure(record: WebhookRecord): void;
}

/**
 * Chatwoot's `AgentBots::WebhookJob`/`WebhookJob` as a queue: the body is serialized at enqueue, each
 * delivery gets its own `X-Chatwoot-Delivery` UUID reused by retries, the timestamp is recomputed per
 * attempt. Up to `webhookConcurrency` deliveries run at once, so arrival order is not guaranteed; the
 * shuffle option picks queued jobs at random to make that visible.
 */
export function createWebhookDelivery(context: SimulatorContext, hooks: DeliveryHooks): WebhookDelivery {
  const queue: { record: WebhookRecord; secret: string | null }[] = [];
  let inFlight = 0;
  let stopped = false;
  let idleWaiters: (() => void)[] = [];
  let seed = context.behaviour.shuffleSeed >>> 0 || 1;
  const random = (): number => {
    // xorshift32: small, seeded, good enough to reorder a queue reproducibly.
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x100000000;
  };

  const settleIdle = (): void => {
    if (queue.length === 0 && inFlight === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const waiter of waiters) waiter();
    }
  };

  const pump = (): void => {
    while (!stopped && inFlight < context.behaviour.webhookConcurrency && queue.length > 0) {
      const index = context.behaviour.shuffleWebhooks ? Math.floor(random() * queue.length) : 0;
      const [job] = queue.splice(index, 1);
      if (!job) break;
      inFlight += 1;
      void run(job.record, job.secret).finally(() => {
        inFlight -= 1;
        pump();
        settleIdle();
      });
    }
    settleIdle();
  };

  const run = async (record: WebhookRecord, secret: string | null): Promise<void> => {
    const { behaviour } = context;
    const maxAttempts = record.kind === 'agent_bot' ? Math.max(1, behaviour.webhookAttempts) : 1;
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/json',
      };
      // Trigger#request_headers: the delivery id whenever the job has one (every delivery since
      // 4.13, signed or not; `signWebhooks: false` plays the versions before, which had none),
      // the timestamp and signature only with a secret.
      if (behaviour.signWebhooks) headers['x-chatwoot-delivery'] = record.deliveryId;
      if (secret !== null) {
        const nowMs = behaviour.webhookTimestampClock === 'system' ? Date.now() : context.clock.nowMs();
        const timestamp = Math.floor(nowMs / 1000).toString();
        headers['x-chatwoot-timestamp'] = timestamp;
        headers['x-chatwoot-signature'] = signWebhook(secret, timestamp, record.body);
      }
      const startedAt = Date.now();
      const result = await postJson(record.url, record.body, headers, behaviour.webhookTimeoutMs, {
        blockPrivateNetwork: behaviour.blockPrivateNetwork,
      });
      record.attempts.push({
        attempt,
        startedAt,
        durationMs: Date.now() - startedAt,
        statusCode: result.statusCode,
        error: result.error ?? (isSuccess(result.statusCode) ? null : httpErrorMessage(result.statusCode)),
        headers,
      });
      if (isSuccess(result.statusCode)) {
        record.outcome = 'delivered';
        record.finishedAt = Date.now();
        context.recorder.touch();
        return;
      }
      context.recorder.touch();
      const retryable = result.statusCode !== null && RETRYABLE_STATUSES.has(result.statusCode);
      if (!retryable || attempt === maxAttempts) break;
      await delay(behaviour.webhookRetryDelayMs);
    }
    record.outcome = 'failed';
    record.finishedAt = Date.now();
    context.recorder.touch();
    if (record.kind !== 'agent_bot') return;
    try {
      hooks.onAgentBotFailure(record);
    } catch (error) {
      // A bug in the failure handler must not take the delivery queue down with it.
      console.error('simulator: agent-bot failure handler threw', error);
    }
  };

  return {
    enqueue(request) {
      const body = JSON.stringify(request.payload);
      const record: WebhookRecord = {
        deliveryId: uuid(),
        kind: request.kind,
        targetId: request.targetId,
        url: request.url,
        event: String(request.payload.event),
        body,
        payload: request.payload,
        enqueuedAt: Date.now(),
        finishedAt: null,
        outcome: 'pending',
        attempts: [],
      };
      context.recorder.addWebhook(record);
      queue.push({ record, secret: request.secret });
      // perform_later: never deliver inside the request that caused the event.
      setImmediate(pump);
      return record;
    },
    pendingCount: () => queue.length + inFlight,
    idle() {
      if (queue.length === 0 && inFlight === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    stop() {
      stopped = true;
      queue.length = 0;
      settleIdle();
    },
  };
}

function isSuccess(statusCode: number | null): boolean {
  return statusCode !== null && statusCode >= 200 && statusCode < 300;
}

/** SafeFetch::HttpError's message: "<code> <reason>". */
function httpErrorMessage(statusCode: number | null): string {
  return `${statusCode} ${http.STATUS_CODES[statusCode ?? 0] ?? 'Unknown'}`;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
