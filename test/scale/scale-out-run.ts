import fs from 'node:fs';
import type pg from 'pg';
import { LineChild } from './child-process.js';
import { startRoundRobinBalancer } from './round-robin-balancer.js';
import { startScaleHarness } from './scale-harness.js';

export interface ScaleOutOptions {
  /** Where the child processes connect (a schema on it when set). */
  db: { url: string; schema: string | null };
  /** The parent's own pool on the same database, to read the outbox. */
  pool: pg.Pool;
  agentBots: number;
  ingests: number;
  conversations: number;
  /** Customer messages sent at once in each conversation: one burst, one reply. */
  burst: number;
  /** PostgreSQL backends to charge CPU to (a database of the run's own), or none. */
  databaseName?: string;
}

export interface ScaleOutResult {
  /** Per conversation: what the customer sent and the bot replies, in order. */
  conversations: { sent: string[]; replies: string[] }[];
  /** Seconds from the first message to the last conversation's reply. */
  seconds: number;
  turnsPerSecond: number;
  /** Each burst's first message to its reply (ms). */
  latencies: number[];
  /** Webhooks each agent-bot process received through the balancer. */
  webhooksPerProcess: number[];
  outboxIds: string[];
  /** Event ids each analytics-ingest process shipped. */
  shippedPerProcess: string[][];
  cpuMs: { agentBots: number; ingests: number; postgres: number | null };
}

/**
 * One scale-out run: `agentBots` agent-bot and `ingests` analytics-ingest child processes on one
 * PostgreSQL, a round-robin balancer in front of the agent-bots, the Chatwoot simulator sending
 * a burst in each conversation at once. Returns what was answered and shipped.
 */
export async function runScaleOut(options: ScaleOutOptions): Promise<ScaleOutResult> {
  const h = await startScaleHarness();
  const children: LineChild[] = [];
  try {
    const config = {
      ...h.config,
      analytics: {
        ...h.config.analytics,
        shipper: { ...h.config.analytics.shipper, batchSize: 50, idleIntervalMs: 100 },
      },
    };
    const env = {
      SCALE_CONFIG: JSON.stringify(config),
      SCALE_DB_URL: options.db.url,
      ...(options.db.schema ? { SCALE_DB_SCHEMA: options.db.schema } : {}),
    };
    const bots = Array.from({ length: options.agentBots }, () => new LineChild('./child-agent-bot.ts', env));
    const ingests = Array.from(
      { length: options.ingests },
      () => new LineChild('./child-analytics-ingest.ts', env),
    );
    children.push(...bots, ...ingests);
    const botReady = await Promise.all(bots.map((bot) => bot.next('READY ')));
    const ingestReady = await Promise.all(ingests.map((ingest) => ingest.next('READY ')));
    const balancer = await startRoundRobinBalancer(botReady.map((line) => line.split(' ')[0]!));
    h.connect(balancer.url);
    const postgresBefore = options.databaseName ? await backendCpu(options.pool, options.databaseName) : null;

    const started = performance.now();
    const sentAt = new Map<number, number>();
    const runs = Array.from({ length: options.conversations }, (_, c) => {
      const customer = { inboxId: h.inboxId, phone: `+5511${String(900_000_000 + c)}`, name: `C${c}` };
      const sent = Array.from({ length: options.burst }, (_, m) => `c${c} m${m}`);
      const displayId = sent.map((text) => h.sim.customer.sendText(customer, text))[0]!.conversation
        .displayId;
      sentAt.set(displayId, performance.now());
      return { displayId, sent };
    });
    const answeredAt = new Map<number, number>();
    await h.sim.waitFor(
      () => {
        for (const run of runs) {
          if (!answeredAt.has(run.displayId) && h.botReplies(run.displayId).length > 0) {
            answeredAt.set(run.displayId, performance.now());
          }
        }
        return answeredAt.size === runs.length;
      },
      { timeoutMs: 60_000 + options.conversations * 500, description: 'a reply in every conversation' },
    );
    const seconds = (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 1500)); // a duplicate reply would land by now
    const postgresAfter = options.databaseName ? await backendCpu(options.pool, options.databaseName) : null;

    const botCpu = await Promise.all(
      bots.map(async (bot, i) => {
        const end = bot.next('CPU ');
        await bot.stop();
        return Number(await end) - Number(botReady[i]!.split(' ')[1]);
      }),
    );
    await balancer.close();

    // The outbox is final now: wait until the ingest processes hold all of it between them.
    const outboxIds = (
      await options.pool.query<{ id: string }>('SELECT id::text AS id FROM analytics_outbox')
    ).rows.map((row) => row.id);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const counts = await Promise.all(
        ingests.map(async (ingest) => {
          const answer = ingest.next('COUNT ');
          ingest.send('COUNT');
          return Number(await answer);
        }),
      );
      if (counts.reduce((a, b) => a + b, 0) >= outboxIds.length || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const shipped = await Promise.all(
      ingests.map(async (ingest, i) => {
        const answer = ingest.next('IDS ');
        ingest.send('IDS');
        const { ids, cpuMs } = JSON.parse(await answer) as { ids: string[]; cpuMs: number };
        return { ids, cpuMs: cpuMs - Number(ingestReady[i]!.split(' ')[1]) };
      }),
    );
    return {
      conversations: runs.map((run) => ({ sent: run.sent, replies: h.botReplies(run.displayId) })),
      seconds,
      turnsPerSecond: runs.length / seconds,
      latencies: runs.map((run) => answeredAt.get(run.displayId)! - sentAt.get(run.displayId)!),
      webhooksPerProcess: [...balancer.counts],
      outboxIds,
      shippedPerProcess: shipped.map((s) => s.ids),
      cpuMs: {
        agentBots: botCpu.reduce((a, b) => a + b, 0),
        ingests: shipped.reduce((a, s) => a + s.cpuMs, 0),
        postgres: postgresBefore && postgresAfter ? cpuDelta(postgresBefore, postgresAfter) : null,
      },
    };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    await h.close();
  }
}

/** utime + stime (ms) of each PostgreSQL backend serving `database`, read from /proc (Linux, same host). */
async function backendCpu(pool: pg.Pool, database: string): Promise<Map<number, number>> {
  const pids = (
    await pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [database])
  ).rows;
  const ticksPerMs = 100 / 1000; // CLK_TCK is 100 on Linux
  const cpu = new Map<number, number>();
  for (const { pid } of pids) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      cpu.set(pid, (Number(fields[11]) + Number(fields[12])) / ticksPerMs);
    } catch {
      // Not on this host (a remote server) or gone: not counted.
    }
  }
  return cpu;
}

function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}
