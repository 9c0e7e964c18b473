import { QUEUES } from '../../jobs/job-contracts.js';
import type { QueueDefinition } from '../../queue/job-queue.js';
import type { EngineContext } from '../engine-context.js';
import { handleDeliveryFailure } from './handle-delivery-failure.js';
import { sendFollowUp } from './send-follow-up.js';
import { sendWebGreeting } from './send-web-greeting.js';

/** The engine's job queues: their workers, concurrency and retry settings. */
export function engineQueueDefinitions(context: EngineContext): QueueDefinition<never>[] {
  const pollIntervalMs = Math.max(1000, context.tuning.pollIntervalMs);
  return [
    {
      name: QUEUES.followUp,
      concurrency: 20,
      pollIntervalMs,
      retryLimit: 20,
      retryDelaySeconds: 5,
      expireInSeconds: 5 * 60,
      handle: (data) => sendFollowUp(context, data),
    } as QueueDefinition<unknown> as QueueDefinition<never>,
    {
      name: QUEUES.deliveryFailure,
      concurrency: 20,
      pollIntervalMs,
      retryLimit: 10,
      retryDelaySeconds: 1,
      expireInSeconds: 5 * 60,
      handle: countingAttempts((data, attempt) => handleDeliveryFailure(context, data, attempt)),
    } as QueueDefinition<unknown> as QueueDefinition<never>,
    {
      name: QUEUES.webGreeting,
      concurrency: 10,
      pollIntervalMs,
      // At most once: POST /conversations has no idempotency key, and a retry after a timeout could
      // open a second conversation; a missed greeting costs little, the visitor can still write.
      retryLimit: 0,
      retryDelaySeconds: 1,
      expireInSeconds: 60,
      handle: (data) => sendWebGreeting(context, data),
    } as QueueDefinition<unknown> as QueueDefinition<never>,
  ];
}

/**
 * The worker sees which attempt this is (in this process): a delivery failure may arrive
 * before the reply it is about is matched, and only the first attempts wait for that.
 */
function countingAttempts(
  handle: (data: unknown, attempt: number) => Promise<void>,
): (data: unknown, job: { id: string }) => Promise<void> {
  const attempts = new Map<string, number>();
  return async (data, job) => {
    const attempt = (attempts.get(job.id) ?? 0) + 1;
    attempts.set(job.id, attempt);
    await handle(data, attempt);
    attempts.delete(job.id);
  };
}
