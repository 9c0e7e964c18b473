import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Database, Logger, SwitchboardConfig } from '@switchboard/core';
import type { Responder } from '../responder/responder.js';
import { chatwootClients } from './chatwoot-clients.js';
import { bindInboxes, inboxKey } from '../inboxes/inbox-binding.js';
import { JobQueue } from '../queue/job-queue.js';
import { LaneDispatcher } from '../queue/lane-dispatcher.js';
import { pruneDeliveryRecords } from '../store/delivery-retention.js';
import { markOrphanedLanesDue } from '../store/lanes.js';
import { laneSnapshotColumns } from '../store/lane-snapshot.js';
import {
  DEFAULT_TUNING,
  systemClock,
  type Clock,
  type EngineContext,
  type EngineTuning,
  type Enricher,
} from './engine-context.js';
import { engineQueueDefinitions } from './jobs/queue-definitions.js';
import { runLane } from './run-lane.js';

export interface EngineOptions {
  config: SwitchboardConfig;
  db: Database;
  logger: Logger;
  responder: Responder;
  clock?: Clock;
  /** Media enrichment before the responder (see Enricher). */
  enrichers?: Enricher[];
  tuning?: Partial<EngineTuning>;
}

export interface AgentBotEngine {
  readonly context: EngineContext;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The conversation engine: Chatwoot clients per account, the lane dispatcher, the job queue and the sweeper. */
export function createEngine(options: EngineOptions): AgentBotEngine {
  const tuning = { ...DEFAULT_TUNING, ...options.tuning };
  const logger = options.logger;
  const queue = new JobQueue({
    db: options.db,
    logger,
    pollIntervalMs: tuning.pollIntervalMs,
    maintenanceIntervalSeconds: tuning.maintenanceIntervalSeconds,
  });
  const clients = chatwootClients(options.config);
  const inboxes = bindInboxes(options.config, logger);
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const holderId = `${process.pid}-${randomUUID().slice(0, 8)}`;
  const lanes = new LaneDispatcher({
    pool: () => context.db.pool,
    logger,
    holderId,
    concurrency: tuning.concurrency,
    leaseMs: tuning.laneLeaseMs,
    pollIntervalMs: tuning.pollIntervalMs,
    // The lane's first snapshot comes back with its claim, transcript included: a customer's
    // message makes the lane due when its burst window ends, so the turn usually runs on it.
    returning: laneSnapshotColumns('c', true),
    run: (lane) => runLane(context, lane),
  });
  const context: EngineContext = {
    config: options.config,
    db: options.db,
    logger,
    responder: options.responder,
    clock: options.clock ?? systemClock,
    enrichers: options.enrichers ?? [],
    tuning,
    queue,
    holderId,
    wakeLanes: (delayMs) => lanes.wake(delayMs),
    client(accountId) {
      const client = clients.get(accountId);
      if (!client) throw new Error(`no Chatwoot account ${accountId} configured`);
      return client;
    },
    inbox: (accountId, inboxId) => inboxes.get(inboxKey(accountId, inboxId)),
    onCustomerMessage(listener) {
      events.on('customer-message', listener);
      return () => events.off('customer-message', listener);
    },
    notifyCustomerMessage: (accountId, conversationId) =>
      events.emit('customer-message', accountId, conversationId),
  };

  const definitions = engineQueueDefinitions(context);

  let sweeper: NodeJS.Timeout | null = null;
  let prunedAt = 0;
  // Safety net only: crashed holders' lanes fall due by themselves when their lease ends. Also
  // keeps the delivery tables from growing for ever (about five rows per turn).
  const sweep = async (): Promise<void> => {
    const orphans = await markOrphanedLanesDue(context.db.pool, tuning.laneLeaseMs);
    if (orphans > 0) {
      logger.warn({ lanes: orphans }, 'sweeper found conversations with work but no due mark');
      lanes.wake();
    }
    if (Date.now() - prunedAt >= tuning.pruneIntervalMs) {
      prunedAt = Date.now();
      const pruned = await pruneDeliveryRecords(context.db.pool);
      if (pruned.deliveries + pruned.rejected > 0)
        logger.info(pruned, 'pruned delivery records past retention');
    }
  };

  return {
    context,
    async start() {
      await queue.start(definitions);
      lanes.start();
      await sweep().catch((error) => logger.warn({ error: (error as Error).message }, 'sweep failed'));
      sweeper = setInterval(
        () => void sweep().catch((error) => logger.warn({ error: (error as Error).message }, 'sweep failed')),
        tuning.sweepIntervalMs,
      );
    },
    async stop() {
      if (sweeper) clearInterval(sweeper);
      await lanes.stop();
      await queue.stop();
    },
  };
}
