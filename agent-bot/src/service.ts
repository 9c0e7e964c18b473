import type { FastifyInstance } from 'fastify';
import {
  clickhouseHealth,
  createHttpServer,
  postgresHealth,
  type ClickHouse,
  type Database,
  type Logger,
  type SwitchboardConfig,
} from '@switchboard/core';
import type { Responder } from './responder/responder.js';
import { createEngine, type AgentBotEngine } from './engine/create-engine.js';
import type { Clock, EngineTuning, Enricher } from './engine/engine-context.js';
import { registerWebhookRoute } from './webhook/webhook-route.js';

export interface AgentBotDependencies {
  config: SwitchboardConfig;
  logger: Logger;
  db: Database;
  /** Only reported by /healthz when this process also holds ClickHouse (local mode). */
  clickhouse?: ClickHouse;
  /** The assistant. Without one, customers are handed to a human (nothing else could answer). */
  responder?: Responder;
  enrichers?: Enricher[];
  clock?: Clock;
  tuning?: Partial<EngineTuning>;
}

/**
 * The agent-bot HTTP service: Chatwoot webhooks in, health out. The engine's workers start
 * with the app (onReady) and stop with it (onClose), so every entry point that builds the app
 * and listens gets them.
 */
export function buildAgentBotService(
  deps: AgentBotDependencies,
): FastifyInstance & { engine: AgentBotEngine } {
  const app = createHttpServer({
    logger: deps.logger,
    service: 'agent-bot',
    bodyLimit: deps.config.chatwoot.maxWebhookBytes,
    checks: {
      postgres: postgresHealth(deps.db),
      ...(deps.clickhouse ? { clickhouse: clickhouseHealth(deps.clickhouse) } : {}),
    },
  });
  const engine = createEngine({
    config: deps.config,
    db: deps.db,
    logger: deps.logger,
    responder: deps.responder ?? handOffResponder(deps.logger),
    ...(deps.enrichers ? { enrichers: deps.enrichers } : {}),
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.tuning ? { tuning: deps.tuning } : {}),
  });
  registerWebhookRoute(app, engine.context);
  app.addHook('onReady', async () => engine.start());
  app.addHook('onClose', async () => engine.stop());
  return Object.assign(app, { engine });
}

function handOffResponder(logger: Logger): Responder {
  logger.warn('agent-bot started without an assistant responder: customers will be handed to a human');
  return {
    respond: async () => ({
      messages: [],
      handoff: { reason: 'other', summary: 'No assistant is configured for this bot.' },
    }),
  };
}
