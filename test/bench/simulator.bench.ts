import http from 'node:http';
import Fastify from 'fastify';
import { createChatwootSimulator, createWebhookReceiver } from '@switchboard/simulator';

/**
 * How fast the Chatwoot simulator is, so bot benchmarks measure the bot:
 * 1. customer message → signed agent-bot webhook delivered to a trivial local receiver;
 * 2. bot API message creates over HTTP (each one also produces its own webhooks and a channel send).
 * Baselines: the same receiver hit by a bare keep-alive POST loop, and a bare Fastify route answering
 * the same number of POSTs. The ratio says what the simulator adds on top of Node's HTTP itself.
 */
const MESSAGES = Number(process.env.SIM_BENCH_MESSAGES ?? 4000);
const CONVERSATIONS = 100;
const API_CONCURRENCY = 16;
const PACED_RATE = 200;
const PACED_MESSAGES = 1000;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: API_CONCURRENCY });

function post(url: string, body: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

async function runPool(
  total: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const index = next;
        next += 1;
        await task(index);
      }
    }),
  );
}

async function benchWebhooks(): Promise<{ rate: number; p50: number; p99: number; baseline: number }> {
  const receiver = await createWebhookReceiver({ secret: 'bench-secret' });
  const sim = await createChatwootSimulator();
  const account = sim.seed.account();
  const inbox = sim.seed.inbox({ accountId: account.id });
  const bot = sim.seed.agentBot({ accountId: account.id, outgoingUrl: receiver.url, secret: 'bench-secret' });
  sim.seed.connectAgentBot(inbox.id, bot.id);
  const started = performance.now();
  for (let index = 0; index < MESSAGES; index += 1) {
    sim.customer.sendText(
      { inboxId: inbox.id, phone: `+5511900${String(index % CONVERSATIONS).padStart(6, '0')}` },
      `message ${index}`,
    );
    // Yield now and then, as a stream of real inbound messages would, so deliveries overlap with intake.
    if (index % 200 === 199) await new Promise((resolve) => setImmediate(resolve));
  }
  await sim.waitForIdle({ timeoutMs: 120_000 });
  const seconds = (performance.now() - started) / 1000;
  const delivered = sim.recorder.webhooks.filter((record) => record.outcome === 'delivered');
  if (delivered.length !== MESSAGES || receiver.received.some((webhook) => webhook.signatureValid !== true)) {
    throw new Error(`expected ${MESSAGES} signed deliveries, got ${delivered.length}`);
  }
  const latencies = delivered.map((record) => (record.finishedAt ?? 0) - record.enqueuedAt);
  await sim.close();

  // Baseline: the same receiver, the same bodies, posted by a bare loop with the same concurrency.
  const bodies = delivered.map((record) => record.body);
  const baselineStarted = performance.now();
  await runPool(bodies.length, 8, async (index) => {
    await post(receiver.url, bodies[index]!);
  });
  const baseline = bodies.length / ((performance.now() - baselineStarted) / 1000);
  await receiver.close();
  return {
    rate: MESSAGES / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    baseline,
  };
}

/** Latency at a steady pace well under capacity: what the simulator adds to each message's trip. */
async function benchPacedLatency(): Promise<{ rate: number; p50: number; p99: number }> {
  const receiver = await createWebhookReceiver({ secret: 'bench-secret' });
  const sim = await createChatwootSimulator();
  const account = sim.seed.account();
  const inbox = sim.seed.inbox({ accountId: account.id });
  const bot = sim.seed.agentBot({ accountId: account.id, outgoingUrl: receiver.url, secret: 'bench-secret' });
  sim.seed.connectAgentBot(inbox.id, bot.id);
  const perTick = 10;
  const ticks = Math.max(1, Math.floor(PACED_MESSAGES / perTick));
  for (let tick = 0; tick < ticks; tick += 1) {
    for (let index = 0; index < perTick; index += 1) {
      const n = tick * perTick + index;
      sim.customer.sendText(
        { inboxId: inbox.id, phone: `+5511900${String(n % CONVERSATIONS).padStart(6, '0')}` },
        `paced ${n}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1000 / (PACED_RATE / perTick)));
  }
  await sim.waitForIdle({ timeoutMs: 120_000 });
  const latencies = sim.recorder.webhooks.map((record) => (record.finishedAt ?? 0) - record.enqueuedAt);
  await sim.close();
  await receiver.close();
  return { rate: PACED_RATE, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function benchApi(): Promise<{
  rate: number;
  p50: number;
  p99: number;
  baseline: number;
  webhooks: number;
}> {
  const receiver = await createWebhookReceiver();
  const sim = await createChatwootSimulator({
    behaviour: { messagesPerConversationPerMinute: Number.MAX_SAFE_INTEGER },
  });
  const account = sim.seed.account();
  const inbox = sim.seed.inbox({ accountId: account.id });
  const bot = sim.seed.agentBot({ accountId: account.id, outgoingUrl: receiver.url });
  sim.seed.connectAgentBot(inbox.id, bot.id);
  for (let index = 0; index < CONVERSATIONS; index += 1) {
    sim.customer.sendText({ inboxId: inbox.id, phone: `+5511900${String(index).padStart(6, '0')}` }, 'oi');
  }
  await sim.waitForIdle();
  const latencies: number[] = [];
  const started = performance.now();
  await runPool(MESSAGES, API_CONCURRENCY, async (index) => {
    const callStarted = performance.now();
    const status = await post(
      `${sim.url}/api/v1/accounts/${account.id}/conversations/${(index % CONVERSATIONS) + 1}/messages`,
      JSON.stringify({ content: `reply ${index}` }),
      { api_access_token: bot.accessToken },
    );
    if (status !== 200) throw new Error(`message create answered ${status}`);
    latencies.push(performance.now() - callStarted);
  });
  const seconds = (performance.now() - started) / 1000;
  await sim.waitForIdle({ timeoutMs: 120_000 });
  const webhooks = sim.recorder.webhooks.length;
  await sim.close();
  await receiver.close();

  // Baseline: a bare Fastify route taking the same POSTs.
  const bare = Fastify();
  bare.post('/api/v1/accounts/:a/conversations/:c/messages', async () => ({ id: 1 }));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const address = bare.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baselineStarted = performance.now();
  await runPool(MESSAGES, API_CONCURRENCY, async (index) => {
    await post(
      `http://127.0.0.1:${port}/api/v1/accounts/1/conversations/${(index % CONVERSATIONS) + 1}/messages`,
      JSON.stringify({ content: `reply ${index}` }),
      {
        api_access_token: 'x',
      },
    );
  });
  const baseline = MESSAGES / ((performance.now() - baselineStarted) / 1000);
  await bare.close();
  return {
    rate: MESSAGES / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    baseline,
    webhooks,
  };
}

export default async function (): Promise<void> {
  const webhooks = await benchWebhooks();
  const paced = await benchPacedLatency();
  const api = await benchApi();
  agent.destroy();
  const row = (name: string, ours: number, baseline: number, extra: string): string =>
    `| ${name.padEnd(46)} | ${ours.toFixed(0).padStart(8)} | ${baseline.toFixed(0).padStart(8)} | ${(ours / baseline).toFixed(2).padStart(5)} | ${extra}`;
  console.log(`${MESSAGES} messages over ${CONVERSATIONS} conversations`);
  console.log(
    `| ${'scenario'.padEnd(46)} | ${'msgs/s'.padStart(8)} | ${'baseline'.padStart(8)} | ratio | latency`,
  );
  console.log(`|${'-'.repeat(48)}|${'-'.repeat(10)}|${'-'.repeat(10)}|-------|--------`);
  console.log(
    row(
      'customer message → signed webhook delivered',
      webhooks.rate,
      webhooks.baseline,
      `burst of ${MESSAGES}: queueing dominates (p50 ${webhooks.p50} ms)`,
    ),
  );
  console.log(
    row(
      'bot API message create (HTTP, 16 in flight)',
      api.rate,
      api.baseline,
      `p50 ${api.p50.toFixed(1)} ms, p99 ${api.p99.toFixed(1)} ms; ${api.webhooks} webhooks`,
    ),
  );
  console.log(
    `| ${`paced ${paced.rate}/s: message → webhook delivered`.padEnd(46)} | ${String(paced.rate).padStart(8)} | ${'-'.padStart(8)} |     - | enqueue→delivered p50 ${paced.p50} ms, p99 ${paced.p99} ms`,
  );
  console.log(
    'baseline: bare keep-alive POST loop to the same receiver / bare Fastify route answering the same POSTs',
  );
}
