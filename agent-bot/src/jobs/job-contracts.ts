import type pg from 'pg';
import { z } from 'zod';

/**
 * The delayed jobs agent-bot sends itself (pg-boss queues): each queue's name and the payload
 * its worker accepts. Senders and workers both import them from here, so a payload is checked
 * against the same schema on both sides.
 */
export const JOBS = {
  /** A scheduled follow-up (or booking reminder) comes due; the id is the `engine_follow_ups` row. */
  followUp: {
    queue: 'follow-up',
    payload: z.strictObject({ id: z.string().uuid() }),
  },
  /** A reply of ours failed on WhatsApp (`message_updated` with `external_error`). */
  deliveryFailure: {
    queue: 'delivery-failure',
    payload: z.strictObject({
      accountId: z.number().int(),
      conversationId: z.number().int(),
      messageId: z.number().int(),
      error: z.string(),
    }),
  },
  /** A new visitor opened a website widget (webwidget_triggered) of an inbox with a greeting. */
  webGreeting: {
    queue: 'web-greeting',
    payload: z.strictObject({
      accountId: z.number().int(),
      inboxId: z.number().int(),
      contactId: z.number().int(),
      sourceId: z.string().min(1).max(255),
    }),
  },
} as const;

export type JobName = keyof typeof JOBS;
export type JobPayload<Name extends JobName> = z.infer<(typeof JOBS)[Name]['payload']>;

/** The queue names, for the job queue's definitions and its wake-ups. */
export const QUEUES = {
  followUp: JOBS.followUp.queue,
  deliveryFailure: JOBS.deliveryFailure.queue,
  webGreeting: JOBS.webGreeting.queue,
} as const;

/** What sending a job needs of the job queue (queue/job-queue.ts). */
export interface JobSender {
  send(
    name: string,
    data: object,
    options?: { startAfterMs?: number; client?: Pick<pg.PoolClient, 'query'> },
  ): Promise<void>;
}

/** Sends a job after checking its payload against the queue's contract. */
export async function sendJob<Name extends JobName>(
  queue: JobSender,
  name: Name,
  payload: JobPayload<Name>,
  options?: { startAfterMs?: number; client?: Pick<pg.PoolClient, 'query'> },
): Promise<void> {
  await queue.send(JOBS[name].queue, JOBS[name].payload.parse(payload), options);
}

/** A worker's view of its payload: parsed by the queue's contract (a malformed job fails). */
export function parseJob<Name extends JobName>(name: Name, data: unknown): JobPayload<Name> {
  return JOBS[name].payload.parse(data) as JobPayload<Name>;
}
