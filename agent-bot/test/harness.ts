import { afterAll, afterEach, beforeAll } from 'vitest';
import { createLogger, switchboardConfigSchema, type SwitchboardConfig } from '@switchboard/core';
import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { createChatwootSimulator, type ChatwootSimulator } from '@switchboard/simulator';
import type { EngineTuning } from '../src/engine/engine-context.js';
import { startAgentBot, type RunningAgentBot } from '../src/start-agent-bot.js';
import { startFlakyProxy, type FlakyProxy } from './flaky-proxy.js';
import { ScriptedResponder } from './scripted-responder.js';

export const TEMPLATE = {
  name: 'reengage',
  language: 'en',
  status: 'APPROVED',
  category: 'UTILITY',
  components: [{ type: 'BODY', text: 'Hi {{1}}, we have an update for you: {{2}}' }],
};

/** Fast settings for tests: short lease, quick sweeps, quick echo wait. */
export const TEST_TUNING: Partial<EngineTuning> = {
  laneLeaseMs: 2000,
  sweepIntervalMs: 500,
  pollIntervalMs: 100,
  maintenanceIntervalSeconds: 1,
  echoWaitMs: 300,
  newMessagePollMs: 100,
};

export interface HarnessOptions {
  conversation?: Record<string, unknown>;
  assistant?: Record<string, unknown>;
  simulator?: Parameters<typeof createChatwootSimulator>[0];
  tuning?: Partial<EngineTuning>;
  channel?: 'whatsapp' | 'test';
  /**
   * Reuse a database: one per test file (creating one takes seconds). Engine tables, the
   * outbox and queued jobs are emptied first unless `reset: false` (restart scenarios).
   */
  db?: TestDatabase;
  reset?: boolean;
  /** Do not start the agent-bot (a child process will). */
  noBot?: boolean;
  /** Route the bot's API calls through a proxy that can play an outage. */
  proxy?: boolean;
  /** The engine's clock: the simulator's (default) or the wall clock (to make the two disagree). */
  clock?: 'simulator' | 'system';
}

export interface Harness {
  db: TestDatabase;
  sim: ChatwootSimulator;
  responder: ScriptedResponder;
  config: SwitchboardConfig;
  bot: RunningAgentBot | null;
  proxy: FlakyProxy | null;
  accountId: number;
  inboxId: number;
  botId: number;
  agentId: number;
  /** Point the simulator's bot at an agent-bot URL. */
  connect(url: string): void;
  /**
   * Queries through the engine's own pool: on PGlite a second connection's parameterized
   * queries can interleave with the engine's (see create-engine.ts).
   */
  query<T = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<T[]>;
  /** Analytics payloads of one event type, in outbox order. */
  events(type: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** The simulator, a database and the whole agent-bot in this process, wired together. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const db = options.db ?? (await createTestDatabase());
  if (options.db && options.reset !== false) await resetEngineTables(db);
  const sim = await createChatwootSimulator({ behaviour: { webhookRetryDelayMs: 50 }, ...options.simulator });
  const proxy = options.proxy ? await startFlakyProxy(sim.url) : null;
  const account = sim.seed.account({ name: 'Acme' });
  const inbox = sim.seed.inbox({ accountId: account.id, channel: 'whatsapp', messageTemplates: [TEMPLATE] });
  const simBot = sim.seed.agentBot({ accountId: account.id, outgoingUrl: 'http://127.0.0.1:9/unset' });
  sim.seed.connectAgentBot(inbox.id, simBot.id);
  const agent = sim.seed.user({ accountId: account.id, name: 'Ana' });
  const config = switchboardConfigSchema.parse({
    logging: { level: 'warn', format: 'json' },
    chatwoot: {
      accounts: [
        {
          id: account.id,
          baseUrl: proxy?.url ?? sim.url,
          bot: { id: simBot.id, accessToken: simBot.accessToken, webhookSecret: simBot.secret },
          userAccessToken: agent.accessToken,
          inboxes: [{ id: inbox.id, assistant: 'helper', channel: options.channel ?? 'whatsapp' }],
        },
      ],
      requestTimeoutMs: 2000,
      maxRetries: 2,
    },
    assistants: {
      helper: {
        name: 'Helper',
        systemPrompt: 'Be helpful.',
        ...options.assistant,
        conversation: { burstQuietMs: 300, burstMaxWaitMs: 3000, ...options.conversation },
      },
    },
  });
  const responder = new ScriptedResponder();
  const connect = (url: string): void => {
    sim.store.agentBots.get(simBot.id)!.outgoingUrl = `${url}/webhooks/chatwoot`;
  };
  let bot: RunningAgentBot | null = null;
  if (!options.noBot) {
    bot = await startAgentBot({
      config,
      db,
      logger: createLogger({ level: 'warn', format: 'json', name: 'agent-bot-test' }),
      responder,
      ...(options.clock === 'system' ? {} : { clock: sim.clock }),
      tuning: { ...TEST_TUNING, ...options.tuning },
    });
    connect(bot.url);
  }
  return {
    db,
    sim,
    responder,
    config,
    bot,
    proxy,
    accountId: account.id,
    inboxId: inbox.id,
    botId: simBot.id,
    agentId: agent.id,
    connect,
    async query<T>(sql: string, values: unknown[] = []) {
      const pool = bot ? bot.engine.context.db.pool : db.pool;
      return (await pool.query(sql, values)).rows as T[];
    },
    async events(type: string) {
      const pool = bot ? bot.engine.context.db.pool : db.pool;
      const rows = await pool.query(
        `SELECT event->'payload' AS payload FROM analytics_outbox WHERE event_type = $1 ORDER BY seq`,
        [type],
      );
      return rows.rows.map((r) => r.payload as Record<string, unknown>);
    },
    async close() {
      await bot?.close();
      await proxy?.close();
      await sim.close();
      if (!options.db) await dropTestDatabase(db);
    },
  };
}

/** Drops a test database and, on a shared server, the pg-boss schema the engine created beside it. */
export async function dropTestDatabase(db: TestDatabase): Promise<void> {
  if (db.schema)
    await db.pool.query(`DROP SCHEMA IF EXISTS "${db.schema}_boss" CASCADE`).catch(() => undefined);
  await db.drop();
}

/**
 * The usual lifecycle of a scenario file: one database for the file (creating one takes seconds),
 * a fresh harness per test, closed after it. Returns the function that starts that harness.
 */
export function harnessPerTest(): (options?: Omit<HarnessOptions, 'db'>) => Promise<Harness> {
  let db: TestDatabase | undefined;
  let current: Harness | null = null;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await current?.close();
    current = null;
  });
  afterAll(async () => db && dropTestDatabase(db));
  return async (options = {}) => {
    current = await startHarness({ ...options, db: db! });
    return current;
  };
}

/** The customer most scenarios talk as. */
export const maria = (h: Harness) => ({ inboxId: h.inboxId, phone: '+5511987654321', name: 'Maria' });

/** Empties what one scenario leaves behind, so the next starts from nothing. */
export async function resetEngineTables(db: TestDatabase): Promise<void> {
  await db.pool.query(
    `TRUNCATE engine_webhook_deliveries, engine_conversations, engine_messages, engine_turns, engine_outgoing,
              engine_follow_ups, engine_rejected_deliveries, analytics_outbox`,
  );
  const boss = db.schema ? `${db.schema}_boss` : 'pgboss';
  const exists = await db.pool.query(`SELECT to_regclass($1) AS t`, [`${boss}.job`]);
  if (exists.rows[0]?.t) await db.pool.query(`DELETE FROM ${boss}.job`);
}

/** Outgoing messages the bot (not humans) posted to a conversation, in order. */
export function botMessages(
  harness: Harness,
  displayId: number,
): { id: number; content: string | null; private: boolean; contentType: string }[] {
  return harness.sim
    .messages({ accountId: harness.accountId, displayId })
    .filter((m) => m.messageType === 'outgoing' && m.senderType === 'AgentBot')
    .map((m) => ({ id: m.id, content: m.content, private: m.private, contentType: m.contentType }));
}
