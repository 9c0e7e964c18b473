import { createScratchDatabase, migrateThroughPooler } from './pooled-database.js';
import { runScaleOut, type ScaleOutResult } from './scale-out-run.js';

/**
 * `npm run bench scale-out`: the same load on 1 agent-bot + 1 analytics-ingest process and on
 * 3 + 2, on one PostgreSQL (BENCH_DATABASE_URL, else TEST_DATABASE_URL), each in a database of its
 * own. Prints throughput, latency, duplicates and what a turn and an event cost in CPU: the
 * figures the README's sizing table is derived from.
 */
const CONVERSATIONS = Number(process.env.BENCH_SCALE_CONVERSATIONS ?? 150);
const BURST = 3;

interface Shape {
  name: string;
  agentBots: number;
  ingests: number;
}
const SHAPES: Shape[] = [
  { name: '1 agent-bot + 1 ingest (baseline)', agentBots: 1, ingests: 1 },
  { name: '3 agent-bots + 2 ingests', agentBots: 3, ingests: 2 },
];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

interface Figures {
  turnsPerSecond: number;
  p50: number;
  p99: number;
  duplicates: number;
  missing: number;
  events: number;
  shippedTwice: number;
  notShipped: number;
  agentBotCpuPerTurn: number;
  ingestCpuPerEvent: number;
  postgresCpuPerTurn: number | null;
}

function figures(run: ScaleOutResult): Figures {
  const shipped = run.shippedPerProcess.flat();
  const shippedSet = new Set(shipped);
  const turns = run.conversations.length;
  return {
    turnsPerSecond: run.turnsPerSecond,
    p50: percentile(run.latencies, 50),
    p99: percentile(run.latencies, 99),
    duplicates: run.conversations.reduce((n, c) => n + Math.max(0, c.replies.length - 1), 0),
    missing: run.conversations.filter(
      (c) => c.replies.length === 0 || c.replies[0] !== `re: ${c.sent.join(' | ')}`,
    ).length,
    events: run.outboxIds.length,
    shippedTwice: shipped.length - shippedSet.size,
    notShipped: run.outboxIds.filter((id) => !shippedSet.has(id)).length,
    agentBotCpuPerTurn: run.cpuMs.agentBots / turns,
    ingestCpuPerEvent: run.cpuMs.ingests / Math.max(1, run.outboxIds.length),
    postgresCpuPerTurn: run.cpuMs.postgres === null ? null : run.cpuMs.postgres / turns,
  };
}

export default async function scaleOutBench(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!url) {
    console.log('scale-out: needs a PostgreSQL server (BENCH_DATABASE_URL): skipped');
    return;
  }
  console.log(`${CONVERSATIONS} conversations, a ${BURST}-message burst each, all at once; PostgreSQL 15`);
  const results: { shape: Shape; figures: Figures }[] = [];
  for (const shape of SHAPES) {
    const scratch = await createScratchDatabase({ direct: url, pooled: url });
    try {
      const db = await scratch.connect(4);
      await migrateThroughPooler(db);
      const run = await runScaleOut({
        db: { url: scratch.directUrl, schema: null },
        pool: db.pool,
        agentBots: shape.agentBots,
        ingests: shape.ingests,
        conversations: CONVERSATIONS,
        burst: BURST,
        databaseName: scratch.name,
      });
      results.push({ shape, figures: figures(run) });
    } finally {
      await scratch.drop();
    }
  }
  const base = results[0]!.figures;
  for (const { shape, figures: f } of results) {
    console.log(
      `${shape.name.padEnd(34)} ${f.turnsPerSecond.toFixed(1).padStart(6)} turns/s ` +
        `(${(f.turnsPerSecond / base.turnsPerSecond).toFixed(2)}x), reply p50 ${f.p50.toFixed(0)} ms / p99 ${f.p99.toFixed(0)} ms; ` +
        `duplicate replies ${f.duplicates}, missing ${f.missing}; events ${f.events}, shipped twice ${f.shippedTwice}, ` +
        `not shipped ${f.notShipped}`,
    );
    console.log(
      `${''.padEnd(34)} CPU: agent-bot ${f.agentBotCpuPerTurn.toFixed(1)} ms/turn, ingest ` +
        `${f.ingestCpuPerEvent.toFixed(2)} ms/event (incl. chdb insert), PostgreSQL ` +
        `${f.postgresCpuPerTurn === null ? 'n/a' : `${f.postgresCpuPerTurn.toFixed(1)} ms/turn`}; ` +
        `${(f.events / CONVERSATIONS).toFixed(1)} events/turn`,
    );
  }
  const scaled = results[1]!.figures;
  const ok =
    scaled.duplicates === 0 && scaled.missing === 0 && scaled.shippedTwice === 0 && scaled.notShipped === 0;
  console.log(
    `Target: no loss, no duplicates with 3 processes (2 cores: no gain expected): ${ok ? '**met**' : '**not met**'}; ` +
      `throughput ratio ${(scaled.turnsPerSecond / base.turnsPerSecond).toFixed(2)}x`,
  );
}
