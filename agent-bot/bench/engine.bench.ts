import { createServer } from 'node:http';
import { createLogger, switchboardConfigSchema } from '@switchboard/core';
import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { createChatwootSimulator, type ChatwootSimulator } from '@switchboard/simulator';
import type { Responder } from '../src/responder/responder.js';
import { startAgentBot } from '../src/start-agent-bot.js';

/**
 * Engine benchmark (issue 4). 100 conversations talk to the bot at once through the Chatwoot
 * simulator with a model that answers instantly, side by side with a baseline that does only
 * the unavoidable work (receive the webhook, one INSERT, post the reply). Two load shapes:
 *
 * - **paced** (the latency target): each customer reads the answer and writes again after a
 *   think time drawn from BENCH_THINK_MS (default 1–5 s, quicker than people type), starting at
 *   a random moment. Measured: webhook acknowledgement p50/p99 (the simulator's own delivery
 *   timings) and turn overhead p50/p99 (customer message → reply accepted by Chatwoot, minus the
 *   merge window the turn waited).
 * - **saturated** (throughput): no think time, every customer writes again the moment the answer
 *   lands. Measured: sustained turns/s. Its latencies are queueing (100 waiting customers ÷
 *   turns/s), printed for completeness.
 *
 * Replies are noticed through the simulator's event stream, not by polling, so the driver costs
 * both sides the same little. Run on PGlite always, and on real PostgreSQL when
 * BENCH_DATABASE_URL / TEST_DATABASE_URL is set.
 */
const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const THINK_MS = (process.env.BENCH_THINK_MS ?? '1000-5000').split('-').map(Number) as [number, number];
const QUIET_MS = 100;

interface LoadShape {
  name: 'paced' | 'saturated';
  thinkMs: [number, number];
}
const SHAPES_ALL: LoadShape[] = [
  { name: 'paced', thinkMs: THINK_MS },
  { name: 'saturated', thinkMs: [0, 0] },
];
/** BENCH_SHAPES=paced (or saturated) runs one load shape only. */
const SHAPES = SHAPES_ALL.filter((shape) =>
  (process.env.BENCH_SHAPES ?? 'paced,saturated').split(',').includes(shape.name),
);

interface Figures {
  ackP50: number;
  ackP99: number;
  overheadP50: number;
  overheadP99: number;
  turnsPerSecond: number;
  turns: number;
  /** CPU of this process per measured turn (ms): on a shared machine steadier than turns/s. */
  cpuMsPerTurn: number;
  /** Statements sent through the pool per measured turn (warm-up round included, so slightly high). */
  statementsPerTurn: number;
}

const SIDES = (process.env.BENCH_SIDES ?? 'engine,baseline').split(',');
const NONE: Figures = {
  ackP50: NaN,
  ackP99: NaN,
  overheadP50: NaN,
  overheadP99: NaN,
  turnsPerSecond: NaN,
  turns: 0,
  cpuMsPerTurn: NaN,
  statementsPerTurn: NaN,
};

interface Exchange {
  asked: number;
  answered: number;
  replyId: number;
}

const instant: Responder = {
  respond: async (context) => ({
    messages: [{ kind: 'text', text: `ok ${context.pending.at(-1)?.text ?? ''}` }],
  }),
};

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

/** A small deterministic generator: both sides get the same think times. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

async function seed(sim: ChatwootSimulator) {
  const account = sim.seed.account({ name: 'Bench' });
  const inbox = sim.seed.inbox({ accountId: account.id, channel: 'whatsapp' });
  const bot = sim.seed.agentBot({ accountId: account.id, outgoingUrl: 'http://127.0.0.1:9/unset' });
  sim.seed.connectAgentBot(inbox.id, bot.id);
  return { account, inbox, bot };
}

/** Every customer sends, waits for the answer, thinks, sends again: one warm-up round, then ROUNDS measured. */
async function drive(
  sim: ChatwootSimulator,
  inboxId: number,
  shape: LoadShape,
  runId: number,
): Promise<{ wallMs: number; exchanges: Exchange[] }> {
  const waiting = new Map<number, (reply: { id: number; createdAt: number }) => void>();
  const unsubscribe = sim.onEvent((event) => {
    if (event.name !== 'message_created') return;
    const message = sim.store.messages.get(event.messageId);
    if (!message || message.messageType !== 'outgoing' || message.private) return;
    const resolve = waiting.get(message.conversationId);
    if (!resolve) return;
    waiting.delete(message.conversationId);
    resolve({ id: message.id, createdAt: message.createdAt });
  });
  const random = seededRandom(42);
  const [minThink, maxThink] = shape.thinkMs;
  const think = (): number => minThink + random() * (maxThink - minThink);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const started = performance.now();
  const exchanges: Exchange[] = [];
  try {
    await Promise.all(
      Array.from({ length: CONVERSATIONS }, async (_, c) => {
        const customer = { inboxId, phone: `+55119${String(runId * 1000 + 10_000_000 + c)}`, name: `C${c}` };
        if (maxThink > 0) await sleep(random() * maxThink);
        for (let round = 0; round <= ROUNDS; round++) {
          if (round > 0 && maxThink > 0) await sleep(think());
          const sent = sim.customer.sendText(customer, `q${round}`);
          const reply = await new Promise<{ id: number; createdAt: number }>((resolve, reject) => {
            const timer = setTimeout(
              () => reject(new Error(`no reply to conversation ${c} round ${round} within 120 s`)),
              120_000,
            );
            waiting.set(sent.conversation.id, (value) => {
              clearTimeout(timer);
              resolve(value);
            });
          });
          // Round 0 warms up (connections opened, code compiled) on both sides: not measured.
          if (round > 0)
            exchanges.push({ asked: sent.message.createdAt, answered: reply.createdAt, replyId: reply.id });
        }
      }),
    );
  } finally {
    unsubscribe();
  }
  return { wallMs: performance.now() - started, exchanges };
}

/**
 * Counts the statements sent through a pool (pool.query; a transaction's client is not counted).
 * BENCH_STATEMENTS=1 also prints them by shape (the first words of each, whitespace folded).
 */
function countStatements(db: TestDatabase): { count: () => number; stop: (turns: number) => void } {
  const pool = db.pool as unknown as { query: (...args: unknown[]) => unknown };
  const original = pool.query;
  let count = 0;
  const byShape = new Map<string, number>();
  const breakdown = process.env.BENCH_STATEMENTS === '1';
  pool.query = function (this: unknown, ...args: unknown[]) {
    count++;
    if (breakdown) {
      const first = args[0];
      const text = typeof first === 'string' ? first : String((first as { text?: unknown })?.text ?? '?');
      const shape = text.replace(/\s+/g, ' ').trim().slice(0, 110);
      byShape.set(shape, (byShape.get(shape) ?? 0) + 1);
    }
    return original.apply(this, args);
  };
  return {
    count: () => count,
    stop: (turns) => {
      pool.query = original;
      if (!breakdown || turns === 0) return;
      // The warm-up round's turns are sent too: per turn of all rounds.
      const all = (turns * (ROUNDS + 1)) / ROUNDS;
      for (const [shape, n] of [...byShape].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
        console.log(`  ${(n / all).toFixed(2).padStart(6)}  ${shape}`);
      }
    },
  };
}

function figures(
  sim: ChatwootSimulator,
  overhead: number[],
  turns: number,
  wallMs: number,
  cpu: NodeJS.CpuUsage,
  statements: number,
): Figures {
  return {
    ackP50: percentile(acks(sim), 0.5),
    ackP99: percentile(acks(sim), 0.99),
    overheadP50: percentile(overhead, 0.5),
    overheadP99: percentile(overhead, 0.99),
    turnsPerSecond: (turns / wallMs) * 1000,
    turns,
    cpuMsPerTurn: (cpu.user + cpu.system) / 1000 / turns,
    // The warm-up round's turns are sent too: per turn of all rounds.
    statementsPerTurn: statements / ((turns * (ROUNDS + 1)) / ROUNDS),
  };
}

function acks(sim: ChatwootSimulator): number[] {
  return sim.recorder.webhooks
    .filter((w) => w.kind === 'agent_bot')
    .flatMap((w) => w.attempts.filter((a) => a.statusCode === 200).map((a) => a.durationMs));
}

async function runEngine(db: TestDatabase, shape: LoadShape, runId: number): Promise<Figures> {
  const sim = await createChatwootSimulator({ behaviour: { webhookConcurrency: 100 } });
  const { account, inbox, bot } = await seed(sim);
  const config = switchboardConfigSchema.parse({
    chatwoot: {
      accounts: [
        {
          id: account.id,
          baseUrl: sim.url,
          bot: { id: bot.id, accessToken: bot.accessToken, webhookSecret: bot.secret },
          inboxes: [{ id: inbox.id, assistant: 'bench' }],
        },
      ],
    },
    assistants: {
      bench: {
        name: 'Bench',
        systemPrompt: 'x',
        conversation: { burstQuietMs: QUIET_MS, burstMaxWaitMs: 2000 },
      },
    },
  });
  const agentBot = await startAgentBot({
    config,
    db,
    logger: createLogger({ level: process.env.BENCH_LOG_LEVEL ?? 'error', format: 'json' }),
    responder: instant,
    clock: sim.clock,
  });
  sim.store.agentBots.get(bot.id)!.outgoingUrl = `${agentBot.url}/webhooks/chatwoot`;
  try {
    const statements = countStatements(db);
    const cpuBefore = process.cpuUsage();
    const { wallMs, exchanges } = await drive(sim, inbox.id, shape, runId);
    const cpu = process.cpuUsage(cpuBefore);
    statements.stop(exchanges.length);
    // The turn event commits just after Chatwoot accepted the reply: let the last ones land.
    const expected = CONVERSATIONS * (ROUNDS + 1);
    let turns: { reply: number; merge: number }[] = [];
    for (let i = 0; i < 100; i++) {
      turns = (
        await agentBot.engine.context.db.pool.query<{ reply: number; merge: number }>(
          `SELECT (event->'payload'->'replyMessageIds'->>0)::bigint AS reply,
                  (event->'payload'->>'mergeDelayMs')::int AS merge
             FROM analytics_outbox WHERE event_type = 'turn'`,
        )
      ).rows;
      if (turns.length >= expected) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Both sides are timed the same way (the simulator's message timestamps); the engine's
    // merge window, which the baseline does not have, comes off per turn.
    const merged = new Map(turns.map((turn) => [Number(turn.reply), turn.merge]));
    const overhead = exchanges.map((e) => e.answered - e.asked - (merged.get(e.replyId) ?? QUIET_MS));
    return figures(sim, overhead, exchanges.length, wallMs, cpu, statements.count());
  } finally {
    await agentBot.close();
    await sim.close();
  }
}

/** The least a bot could do: take the webhook, insert one row, post the reply. */
async function runBaseline(db: TestDatabase, shape: LoadShape, runId: number): Promise<Figures> {
  await db.pool.query(
    `CREATE TABLE IF NOT EXISTS bench_baseline (id bigint PRIMARY KEY, body jsonb NOT NULL)`,
  );
  const sim = await createChatwootSimulator({ behaviour: { webhookConcurrency: 100 } });
  const { account, inbox, bot } = await seed(sim);
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as {
        event: string;
        id: number;
        message_type: string;
        content: string;
        conversation: { id: number };
      };
      if (body.event !== 'message_created' || body.message_type !== 'incoming') {
        response.writeHead(200).end();
        return;
      }
      db.pool
        .query(`INSERT INTO bench_baseline (id, body) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
          body.id,
          body,
        ])
        .then(() => {
          response.writeHead(200).end();
          return fetch(
            `${sim.url}/api/v1/accounts/${account.id}/conversations/${body.conversation.id}/messages`,
            {
              method: 'POST',
              headers: { 'content-type': 'application/json', api_access_token: bot.accessToken },
              body: JSON.stringify({ content: `ok ${body.content}` }),
            },
          );
        })
        .catch(() => response.writeHead(500).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sim.store.agentBots.get(bot.id)!.outgoingUrl =
    `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  try {
    const statements = countStatements(db);
    const cpuBefore = process.cpuUsage();
    const { wallMs, exchanges } = await drive(sim, inbox.id, shape, runId);
    const cpu = process.cpuUsage(cpuBefore);
    statements.stop(exchanges.length);
    const overhead = exchanges.map((e) => e.answered - e.asked);
    return figures(sim, overhead, exchanges.length, wallMs, cpu, statements.count());
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await sim.close();
  }
}

function table(label: string, results: Map<LoadShape['name'], { engine: Figures; baseline: Figures }>): void {
  const f = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');
  const none = NONE;
  const paced = results.get('paced') ?? { engine: none, baseline: none };
  const saturated = results.get('saturated') ?? { engine: none, baseline: none };
  const rows = [
    ['paced: webhook ack p50 (ms)', paced.engine.ackP50, paced.baseline.ackP50],
    ['paced: webhook ack p99 (ms)', paced.engine.ackP99, paced.baseline.ackP99],
    ['paced: turn overhead p50 (ms)', paced.engine.overheadP50, paced.baseline.overheadP50],
    ['paced: turn overhead p99 (ms)', paced.engine.overheadP99, paced.baseline.overheadP99],
    ['paced: turns/s offered', paced.engine.turnsPerSecond, paced.baseline.turnsPerSecond],
    ['saturated: sustained turns/s', saturated.engine.turnsPerSecond, saturated.baseline.turnsPerSecond],
    ['saturated: queueing p50 (ms)', saturated.engine.overheadP50, saturated.baseline.overheadP50],
    ['saturated: queueing p99 (ms)', saturated.engine.overheadP99, saturated.baseline.overheadP99],
    ['paced: CPU per turn (ms)', paced.engine.cpuMsPerTurn, paced.baseline.cpuMsPerTurn],
    ['saturated: CPU per turn (ms)', saturated.engine.cpuMsPerTurn, saturated.baseline.cpuMsPerTurn],
    [
      'saturated: statements per turn',
      saturated.engine.statementsPerTurn,
      saturated.baseline.statementsPerTurn,
    ],
  ] as const;
  console.log(
    `\n${label}: ${CONVERSATIONS} concurrent conversations × ${ROUNDS} rounds (after a warm-up round), instant model, ` +
      `merge window ${QUIET_MS} ms, paced think time ${THINK_MS[0]}–${THINK_MS[1]} ms`,
  );
  console.log(
    `${'metric'.padEnd(32)}${'engine'.padStart(10)}${'baseline'.padStart(10)}${'ratio'.padStart(8)}`,
  );
  for (const [name, ours, base] of rows) {
    console.log(
      `${name.padEnd(32)}${f(ours).padStart(10)}${f(base).padStart(10)}${(ours / base).toFixed(2).padStart(8)}`,
    );
  }
  const p99 = paced.engine.overheadP99;
  const ratio = p99 / paced.baseline.overheadP99;
  console.log(
    `target overhead p99 < 50 ms: ${p99 < 50 ? 'MET' : 'NOT MET'} (${f(p99)} ms); ` +
      `within 3x of baseline: ${ratio <= 3 ? 'MET' : 'NOT MET'} (${ratio.toFixed(2)}x); ` +
      `turns measured ${paced.engine.turns + saturated.engine.turns} / baseline ${paced.baseline.turns + saturated.baseline.turns}`,
  );
}

async function onDatabase(label: string, url: string | undefined): Promise<void> {
  const saved = process.env.TEST_DATABASE_URL;
  if (url) process.env.TEST_DATABASE_URL = url;
  else delete process.env.TEST_DATABASE_URL;
  const engineDb = await createTestDatabase({ poolSize: 20 });
  const baselineDb = await createTestDatabase({ migrate: false });
  if (saved === undefined) delete process.env.TEST_DATABASE_URL;
  else process.env.TEST_DATABASE_URL = saved;
  try {
    const results = new Map<LoadShape['name'], { engine: Figures; baseline: Figures }>();
    for (const [runId, shape] of SHAPES.entries()) {
      await baselineDb.pool.query('DROP TABLE IF EXISTS bench_baseline');
      await engineDb.pool.query(
        'TRUNCATE engine_conversations, engine_messages, engine_turns, engine_outgoing, engine_webhook_deliveries, analytics_outbox',
      );
      // BENCH_SIDES=engine (or baseline) runs one side only, e.g. to profile it alone.
      const baseline = SIDES.includes('baseline') ? await runBaseline(baselineDb, shape, runId) : NONE;
      const engine = SIDES.includes('engine') ? await runEngine(engineDb, shape, runId) : NONE;
      results.set(shape.name, { engine, baseline });
    }
    table(label, results);
  } finally {
    if (engineDb.schema) await engineDb.pool.query(`DROP SCHEMA IF EXISTS "${engineDb.schema}_boss" CASCADE`);
    await engineDb.drop();
    await baselineDb.drop();
  }
}

export default async function (): Promise<void> {
  const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  // BENCH_TARGETS=server skips PGlite (e.g. to measure only the server quickly).
  const targets = (process.env.BENCH_TARGETS ?? 'pglite,server').split(',');
  if (targets.includes('pglite')) await onDatabase('PGlite (embedded, local mode)', undefined);
  if (serverUrl && targets.includes('server')) await onDatabase('PostgreSQL server', serverUrl);
  else console.log('\n(no BENCH_DATABASE_URL / TEST_DATABASE_URL: real PostgreSQL not measured)');
}
