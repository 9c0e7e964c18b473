import type { Database, Logger, SwitchboardConfig } from '@switchboard/core';
import type { Responder } from './responder/responder.js';
import { buildAgentBotService } from './service.js';
import type { AgentBotEngine } from './engine/create-engine.js';
import type { Clock, EngineTuning, Enricher } from './engine/engine-context.js';

export interface StartAgentBotOptions {
  config: SwitchboardConfig;
  db: Database;
  logger: Logger;
  responder: Responder;
  clock?: Clock;
  enrichers?: Enricher[];
  tuning?: Partial<EngineTuning>;
  host?: string;
  port?: number;
}

export interface RunningAgentBot {
  app: ReturnType<typeof buildAgentBotService>;
  engine: AgentBotEngine;
  /** Base URL; Chatwoot (or the simulator) posts to `${url}/webhooks/chatwoot`. */
  url: string;
  close(): Promise<void>;
}

/** The whole agent-bot (HTTP + workers) in this process: for tests, benchmarks, the playground. */
export async function startAgentBot(options: StartAgentBotOptions): Promise<RunningAgentBot> {
  const app = buildAgentBotService({
    config: options.config,
    db: options.db,
    logger: options.logger,
    responder: options.responder,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.enrichers ? { enrichers: options.enrichers } : {}),
    ...(options.tuning ? { tuning: options.tuning } : {}),
  });
  const url = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  return {
    app,
    engine: app.engine,
    url,
    async close() {
      // A caller's keep-alive socket can hold server.close() for the whole keep-alive timeout
      // (72 s): give in-flight requests a moment, then cut what is left.
      const closing = app.close();
      app.server.closeIdleConnections();
      const force = setTimeout(() => app.server.closeAllConnections(), 500);
      force.unref();
      await closing;
      clearTimeout(force);
    },
  };
}
