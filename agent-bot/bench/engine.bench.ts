import { createServer } from 'node:http';
import { createLogger, switchboardConfigSchema } from '@switchboard/core';
import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { createChatwootSimulator, type ChatwootSimulator } from '@switchboard/test';
import type { Responder } from '../src/assistant/responder.js';
import { startAgentBot } from '../src/engine/start-agent-bot.js';

/**
 * Engine benchmark (issue 4). 100 conversations talk to the bot at once through the Chatwoot
 * simulator, each sending a message and waiting for the answer, ROUNDS times, with a model
 * that answers instantly. Measured: webhook acknowledgement p50/p99 (the simulator's own
 * delivery timings), turn overhead p50/p99 (customer message → reply accepted by Chatwoot,
 * minus the merge window the turn waited) and sustained turns/s. Side by side with a baseline
 * that does only the unavoidable work: receive the webhook, one INSERT, post the reply.
 * Run on PGlite always, and on real PostgreSQL when BENCH_DATABASE_URL / TEST_DATABASE_URL is set.
 */
/** The target is set at 100 concurrent conversations; 10 shows the engine's own cost on a quiet machine. */
const CONCURRENCY = (process.env.BENCH_CONVERSATIONS ?? '100,10').split(',').map(Number);
let CONVERSATIONS = CONCURRENCY[0]!;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const QUIET_MS = 100;

interface Figures {
  ackP50: number;
  ackP99: number;
  overheadP50: number;
  overheadP99: number;
  turnsPerSecond: number;
  turns: number;
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

async function seed(sim: ChatwootSimulator) {
  const account = sim.seed.account({ name: 'Bench' });
  const inbox = sim.seed.inbox({ accountId: account.id, channel: 'whatsapp' });
  const bot = sim.seed.agentBot({ accountId: account.id, outgoingUrl: 'http://127.0.0.1:9/unset' });
  sim.seed.connectAgentBot(inbox.id, bot.id);
  return { account, inbox, bot };
}

/** Closed loop: every conversation sends, waits for its answer, sends again. */
async function drive(
  sim: ChatwootSimulator,
  inboxId: number,
  accountId: number,
): Promise<{ wallMs: number; pairs: { asked: number; answered: number }[] }> {
  const started = performance.now();
  const pairs: { asked: number; answered: number }[] = [];
  await Promise.all(
    Array.from({ length: CONVERSATIONS }, async (_, c) => {
      const customer = { inboxId, phone: `+55119${String(10_000_000 + c)}`, name: `C${c}` };
      for (let round = 0; round < ROUNDS; round++) {
        const sent = sim.customer.sendText(customer, `q${round}`);
        const ref = { accountId, displayId: sent.conversation.displayId };
        const reply = await sim.waitFor(
          () => sim.messages(ref).find((m) => m.messageType === 'outgoing' && m.id > sent.message.id),
          { timeoutMs: 120_000, description: `reply to conversation ${c} round ${round}` },
        );
        pairs.push({ asked: sent.message.createdAt, answered: reply.createdAt });
      }
    }),
  );
  return { wallMs: performance.now() - started, pairs };
}

function acks(sim: ChatwootSimulator): number[] {
  return sim.recorder.webhooks
    .filter((w) => w.kind === 'agent_bot')
    .flatMap((w) => w.attempts.filter((a) => a.statusCode === 200).map((a) => a.durationMs));
}

async function runEngine(db: TestDatabase): Promise<Figures> {
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
    logger: createLogger({ level: 'error', format: 'json' }),
    responder: instant,
    clock: sim.clock,
  });
  sim.store.agentBots.get(bot.id)!.outgoingUrl = `${agentBot.url}/webhooks/chatwoot`;
  try {
    const { wallMs } = await drive(sim, inbox.id, account.id);
    // The turn event commits just after Chatwoot accepted the reply: let the last ones land.
    const expected = CONVERSATIONS * ROUNDS;
    for (let i = 0; i < 100; i++) {
      const counted = await agentBot.engine.context.db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM analytics_outbox WHERE event_type = 'turn'`,
      );
      if (counted.rows[0]!.n >= expected) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const turns = (
      await agentBot.engine.context.db.pool.query<{ latency: number; merge: number }>(
        `SELECT (event->'payload'->>'latencyMs')::int AS latency, (event->'payload'->>'mergeDelayMs')::int AS merge
           FROM analytics_outbox WHERE event_type = 'turn'`,
      )
    ).rows;
    const overhead = turns.map((t) => t.latency - t.merge);
    return {
      ackP50: percentile(acks(sim), 0.5),
      ackP99: percentile(acks(sim), 0.99),
      overheadP50: percentile(overhead, 0.5),
      overheadP99: percentile(overhead, 0.99),
      turnsPerSecond: (turns.length / wallMs) * 1000,
      turns: turns.length,
    };
  } finally {
    await agentBot.close();
    await sim.close();
  }
}

/** The least a bot could do: take the webhook, insert one row, post the reply. */
async function runBaseline(db: TestDatabase): Promise<Figures> {
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
    const { wallMs, pairs } = await drive(sim, inbox.id, account.id);
    const overhead = pairs.map((p) => p.answered - p.asked);
    return {
      ackP50: percentile(acks(sim), 0.5),
      ackP99: percentile(acks(sim), 0.99),
      overheadP50: percentile(overhead, 0.5),
      overheadP99: percentile(overhead, 0.99),
      turnsPerSecond: (pairs.length / wallMs) * 1000,
      turns: pairs.length,
    };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await sim.close();
  }
}

function table(label: string, engine: Figures, baseline: Figures): void {
  const f = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');
  const rows = [
    ['webhook ack p50 (ms)', engine.ackP50, baseline.ackP50],
    ['webhook ack p99 (ms)', engine.ackP99, baseline.ackP99],
    ['turn overhead p50 (ms)', engine.overheadP50, baseline.overheadP50],
    ['turn overhead p99 (ms)', engine.overheadP99, baseline.overheadP99],
    ['sustained turns/s', engine.turnsPerSecond, baseline.turnsPerSecond],
  ] as const;
  console.log(
    `\n${label}: ${CONVERSATIONS} concurrent conversations × ${ROUNDS} rounds, instant model, merge window ${QUIET_MS} ms`,
  );
  console.log(
    `${'metric'.padEnd(26)}${'engine'.padStart(10)}${'baseline'.padStart(10)}${'ratio'.padStart(8)}`,
  );
  for (const [name, ours, base] of rows) {
    console.log(
      `${name.padEnd(26)}${f(ours).padStart(10)}${f(base).padStart(10)}${(ours / base).toFixed(2).padStart(8)}`,
    );
  }
  const p99Target = engine.overheadP99 < 50;
  const ratioTarget = engine.overheadP99 <= 3 * baseline.overheadP99;
  console.log(
    `target overhead p99 < 50 ms: ${p99Target ? 'MET' : 'NOT MET'} (${f(engine.overheadP99)} ms); ` +
      `within 3x of baseline: ${ratioTarget ? 'MET' : 'NOT MET'} (${(engine.overheadP99 / baseline.overheadP99).toFixed(2)}x); ` +
      `turns measured ${engine.turns} / baseline ${baseline.turns}`,
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
    for (const concurrency of CONCURRENCY) {
      CONVERSATIONS = concurrency;
      await baselineDb.pool.query('DROP TABLE IF EXISTS bench_baseline');
      await engineDb.pool.query(
        'TRUNCATE engine_conversations, engine_messages, engine_turns, engine_outgoing, engine_webhook_deliveries, analytics_outbox',
      );
      const baseline = await runBaseline(baselineDb);
      const engine = await runEngine(engineDb);
      table(label, engine, baseline);
    }
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
