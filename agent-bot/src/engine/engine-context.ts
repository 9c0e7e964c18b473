import type { Database, Logger, SwitchboardConfig } from '@switchboard/core';
import type { Enricher } from '../responder/enricher.js';
import type { Responder } from '../responder/responder.js';
import type { ChatwootClient } from '../chatwoot/chatwoot-client.js';
import type { InboxBinding } from '../inboxes/inbox-binding.js';
import type { JobQueue } from '../queue/job-queue.js';

/** The engine's notion of time: the simulator's clock in tests, the wall clock otherwise. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

export type { Enricher } from '../responder/enricher.js';

export interface EngineTuning {
  /** Lane lease; a crashed holder's conversations are picked up again after this. */
  laneLeaseMs: number;
  /** How often each process runs the safety net for work without a due mark (markOrphanedLanesDue). */
  sweepIntervalMs: number;
  /** How often each process deletes delivery records past their retention (store/delivery-retention.ts). */
  pruneIntervalMs: number;
  /** How often an idle process looks for due lanes and jobs other processes made due. */
  pollIntervalMs: number;
  maintenanceIntervalSeconds: number;
  /** Conversations processed at once per process. */
  concurrency: number;
  /** How often a generating turn looks for newer customer messages (other processes' webhooks). */
  newMessagePollMs: number;
  /** A reply POST whose outcome is unknown (crash, timeout) waits this long for its webhook echo. */
  echoWaitMs: number;
  /** POST attempts per reply part (each with the client's own retries) before handing off. */
  deliveryAttempts: number;
  /** "Typing…" is shown once a generation has taken this long (never for instant answers). */
  typingDelayMs: number;
}

export const DEFAULT_TUNING: EngineTuning = {
  laneLeaseMs: 30_000,
  sweepIntervalMs: 10_000,
  pruneIntervalMs: 3_600_000,
  pollIntervalMs: 250,
  maintenanceIntervalSeconds: 30,
  concurrency: 200,
  newMessagePollMs: 300,
  echoWaitMs: 5_000,
  deliveryAttempts: 5,
  typingDelayMs: 300,
};

export type { InboxBinding } from '../inboxes/inbox-binding.js';

export interface EngineContext {
  config: SwitchboardConfig;
  /** Replaced at start by a one-connection pool on PGlite (see create-engine.ts). */
  db: Database;
  logger: Logger;
  responder: Responder;
  clock: Clock;
  enrichers: Enricher[];
  tuning: EngineTuning;
  queue: JobQueue;
  /** A unique id for this process's lane leases. */
  holderId: string;
  client(accountId: number): ChatwootClient;
  inbox(accountId: number, inboxId: number): InboxBinding | undefined;
  /** Look for due lanes now (this process just made one due: a webhook, a follow-up), or in `delayMs`. */
  wakeLanes(delayMs?: number): void;
  /** In-process notification that a conversation got a new customer message (regeneration). */
  onCustomerMessage(listener: (accountId: number, conversationId: number) => void): () => void;
  notifyCustomerMessage(accountId: number, conversationId: number): void;
}
