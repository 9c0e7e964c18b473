import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectClickHouse, connectPostgres, loadConfig, REPO_ROOT, type Database } from '@switchboard/core';
import { createChatwootSimulator, type ChatwootSimulator, type WebhookRecord } from '@switchboard/simulator';
import { seedPlayground } from '@switchboard/playground';
import { ACCOUNT_WEBHOOK_PATH, OutboxStore } from '@switchboard/analytics';

/**
 * Local mode under load (issue 16), the way a team trying Switchboard on a laptop would run it:
 * `npm start` as a real process on its embedded stores (PGlite served over the wire protocol,
 * chdb), the sample knowledge base uploaded with the `kb-ingest` CLI through that process, no
 * provider keys (the offline assistant), and a Chatwoot (the simulator, in this process) that
 * delivers webhooks concurrently, in shuffled order, and some of them twice.
 *
 * CUSTOMERS × ROUNDS customer messages; each customer waits for the answer before the next one,
 * so every message is its own burst. Asserted: exactly one answered turn per burst and no
 * duplicate reply, every search for a question the knowledge base answers finds its document,
 * no protocol error (or any error line) in the log, and every event in ClickHouse exactly once.
 */
const CUSTOMERS = Number(process.env.LOAD_CUSTOMERS ?? 200);
const ROUNDS = Number(process.env.LOAD_ROUNDS ?? 5);
/** One in this many agent-bot webhooks is delivered a second time (same body, signature and delivery id). */
const DUPLICATE_EVERY = 4;

/** Questions the sample knowledge base (config/sample-knowledge) answers, with the document that answers each. */
const QUESTIONS: Array<{ text: string; source: string }> = [
  { text: 'When are you open on Saturday?', source: 'opening-hours.md' },
  { text: 'How much is a puncture repair?', source: 'repairs.md' },
  { text: 'Can you collect my bike from home?', source: 'repairs.md' },
  { text: 'Do you deliver bikes, and what does delivery cost?', source: 'faq.md' },
  { text: 'Is there a warranty on new bikes?', source: 'faq.md' },
  { text: 'What does a full service include?', source: 'repairs.md' },
  { text: 'Can I return an accessory I bought?', source: 'faq.md' },
];

const PROTOCOL_ERRORS =
  /prepared statement|portal .*does not exist|bind message supplies|malformed array literal|protocol violation|insufficient data left in message/i;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-load-'));
const children: ChildProcess[] = [];
let sim: ChatwootSimulator | null = null;
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await sim?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function environment(chatwootUrl: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    SWITCHBOARD_DATA_DIR: dataDir,
    // Chatwoot is the simulator of this test process, as a real Chatwoot would be: local mode's
    // own playground (and its in-process simulator) stays off.
    PLAYGROUND_ENABLED: 'false',
    CHATWOOT_URL: chatwootUrl,
    DATABASE_URL: '',
    CLICKHOUSE_URL: '',
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'warn',
    AGENT_BOT_PORT: '0',
    ANALYTICS_PORT: '0',
    LOCAL_POSTGRES_PORT: '0',
    OPENAI_API_KEY: '',
    ANTHROPIC_API_KEY: '',
    GEMINI_API_KEY: '',
  };
}

interface Started {
  child: ChildProcess;
  output: () => string;
  agentBotUrl: string;
  analyticsUrl: string;
}

async function startSwitchboard(env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: REPO_ROOT,
    env: { ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const deadline = Date.now() + 120_000;
  while (!/"msg":"ready/.test(text)) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${text}`);
    if (Date.now() > deadline) throw new Error(`npm start did not become ready:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const url = (service: string) => new RegExp(`"msg":"${service}: (http://[^ "]+)`).exec(text)![1]!;
  return { child, output: () => text, agentBotUrl: url('agent-bot'), analyticsUrl: url('analytics') };
}

function kbIngest(env: NodeJS.ProcessEnv, args: string[]): string {
  const result = spawnSync(process.execPath, ['kb-ingest/bin/kb-ingest.js', ...args], {
    cwd: REPO_ROOT,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0)
    throw new Error(`kb-ingest ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

/** A deterministic generator, so that a failing run can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Re-sends some of the delivered agent-bot webhooks byte for byte, as Chatwoot does after a timeout. */
function duplicateDeliveries(
  simulator: ChatwootSimulator,
  random: () => number,
): {
  stop(): Promise<number>;
} {
  let sent = 0;
  let seen = 0;
  const chosen: WebhookRecord[] = [];
  const inFlight = new Set<Promise<void>>();
  const timer = setInterval(() => {
    const webhooks = simulator.recorder.webhooks;
    for (; seen < webhooks.length; seen++) {
      const record = webhooks[seen]!;
      if (record.kind === 'agent_bot' && random() * DUPLICATE_EVERY < 1) chosen.push(record);
    }
    // Chosen when enqueued; re-sent once its first attempt went out (shuffled queues send late).
    for (let i = chosen.length - 1; i >= 0; i--) {
      const record = chosen[i]!;
      const headers = record.attempts[0]?.headers;
      if (!headers) continue;
      chosen.splice(i, 1);
      const delivery = fetch(record.url, { method: 'POST', headers, body: record.body }).then((response) => {
        expect(response.status, `duplicate ${record.event} ${record.deliveryId}`).toBe(200);
        sent++;
      });
      inFlight.add(delivery);
      void delivery.finally(() => inFlight.delete(delivery));
    }
  }, 20);
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all(inFlight);
      return sent;
    },
  };
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe(`local mode under load: ${CUSTOMERS} customers × ${ROUNDS} messages`, () => {
  it('answers every burst exactly once, finds every answerable question, and ships every event once', async () => {
    sim = await createChatwootSimulator({
      behaviour: { webhookConcurrency: 16, shuffleWebhooks: true, shuffleSeed: 16, autoReceipts: true },
    });
    const env = environment(sim.url);
    const started = await startSwitchboard(env);
    const { config } = loadConfig({ env });
    const seed = seedPlayground(sim, config, {
      agentBotWebhook: `${started.agentBotUrl}/webhooks/chatwoot`,
      analyticsWebhook: `${started.analyticsUrl}${ACCOUNT_WEBHOOK_PATH.replace(':accountId', String(config.chatwoot.accounts[0]!.id))}`,
    });
    const inboxId = seed.inboxes[0]!.inbox.id;
    const kb = config.playground.sampleKnowledge.knowledgeBase;
    // The admin's way in: the CLI reaches the running instance's database through its socket.
    kbIngest(env, ['create', '--account', String(seed.accountId), '--kb', kb, '--language', 'english']);
    kbIngest(env, ['upload', '--account', String(seed.accountId), '--kb', kb, 'config/sample-knowledge']);

    // Customers: each waits for the answer (and for its last part) before writing again.
    const random = seededRandom(16);
    const duplicates = duplicateDeliveries(sim, seededRandom(61));
    const lastReplyAt = new Map<number, number>();
    const unsubscribe = sim.onEvent((event) => {
      if (event.name !== 'message_created') return;
      const message = sim!.store.messages.get(event.messageId);
      if (message && message.messageType === 'outgoing' && !message.private)
        lastReplyAt.set(message.conversationId, Date.now());
    });
    const asked = new Map<number, string[]>();
    const startedAt = Date.now();
    await Promise.all(
      Array.from({ length: CUSTOMERS }, async (_, c) => {
        await new Promise((resolve) => setTimeout(resolve, random() * 2000));
        const customer = { inboxId, phone: `+44790${String(1_000_000 + c)}`, name: `Customer ${c}` };
        for (let round = 0; round < ROUNDS; round++) {
          const question = QUESTIONS[(c + round) % QUESTIONS.length]!;
          const sent = sim!.customer.sendText(customer, question.text);
          const conversationId = sent.conversation.id;
          asked.set(conversationId, [...(asked.get(conversationId) ?? []), question.source]);
          // Answered: an outgoing message after ours, then 400 ms without another part.
          await waitFor(`an answer to customer ${c}, round ${round}`, 90_000, async () => {
            const at = lastReplyAt.get(conversationId);
            return at !== undefined && at >= sent.message.createdAt && Date.now() - at > 400 ? true : null;
          });
        }
      }),
    );
    const drivenMs = Date.now() - startedAt;
    unsubscribe();
    const duplicated = await duplicates.stop();

    // The bot's side, through the running instance's socket (as psql would).
    const db: Database = await connectPostgres(config.database, { whenLocalInUse: 'connect' });
    try {
      const outbox = new OutboxStore(db.pool);
      const backlog = await waitFor('the shipper to ship every event', 60_000, async () => {
        const now = await outbox.backlog();
        return now.pending === 0 ? now : null;
      });
      expect(backlog).toMatchObject({ pending: 0, dead: 0 });
      const turns = await db.pool.query<{ conversation_id: string; state: string; n: number }>(
        `SELECT conversation_id, state, count(*)::int AS n FROM engine_turns GROUP BY 1, 2`,
      );
      const byConversation = new Map<number, number>();
      for (const row of turns.rows) {
        expect(row.state, `conversation ${row.conversation_id}`).toBe('done');
        byConversation.set(Number(row.conversation_id), row.n);
      }
      expect(byConversation.size).toBe(CUSTOMERS);
      for (const [conversation, n] of byConversation)
        expect(n, `turns of conversation ${conversation}`).toBe(ROUNDS);
    } finally {
      await db.close();
    }

    // The customer's side: after each message one answer (one or more parts), never a part twice.
    let replies = 0;
    for (const conversationId of asked.keys()) {
      const thread = [...sim.store.messages.values()]
        .filter((m) => m.conversationId === conversationId && !m.private)
        .filter((m) => m.messageType === 'incoming' || m.messageType === 'outgoing')
        .sort((a, b) => a.id - b.id);
      let gap: string[] | null = null;
      const gaps: string[][] = [];
      for (const message of thread) {
        if (message.messageType === 'incoming') {
          gap = [];
          gaps.push(gap);
        } else {
          expect(gap, `a reply before any question in conversation ${conversationId}`).not.toBeNull();
          gap!.push(message.content ?? '');
          replies++;
        }
      }
      expect(gaps.length).toBe(ROUNDS);
      for (const parts of gaps) {
        expect(parts.length, `conversation ${conversationId}`).toBeGreaterThan(0);
        expect(new Set(parts).size, `duplicate reply in conversation ${conversationId}`).toBe(parts.length);
      }
    }

    // Stop (Ctrl-C) and read analytics from the embedded ClickHouse it leaves behind.
    const output = started.output();
    started.child.kill('SIGINT');
    await new Promise((resolve) => started.child.once('exit', resolve));
    const protocolErrors = output.split('\n').filter((line) => PROTOCOL_ERRORS.test(line));
    expect(protocolErrors).toEqual([]);
    const errorLines = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
    expect(errorLines).toEqual([]);

    const clickhouse = await connectClickHouse(config.clickhouse);
    try {
      const query = async <T>(text: string): Promise<T[]> =>
        (await (await clickhouse.client.query({ query: text, format: 'JSONEachRow' })).json()) as T[];
      const [totals] = await query<{ rows: number; ids: number }>(
        `SELECT count() AS rows, uniqExact(id) AS ids FROM events`,
      );
      expect(totals!.rows).toBe(totals!.ids);
      const [inbound] = await query<{ n: number }>(
        `SELECT uniqExact(message_id) AS n FROM events WHERE type = 'message' AND direction = 'inbound'`,
      );
      expect(inbound!.n).toBe(CUSTOMERS * ROUNDS);
      const [outbound] = await query<{ n: number }>(
        `SELECT uniqExact(message_id) AS n FROM events WHERE type = 'message' AND direction = 'outbound' AND NOT is_private`,
      );
      expect(outbound!.n).toBe(replies);
      const searches = await query<{ conversation_id: number; outcome: string; sources: string[] }>(
        `SELECT conversation_id, outcome,
                arrayMap(p -> JSONExtractString(p, 'source'), JSONExtractArrayRaw(payload, 'passages')) AS sources
           FROM events WHERE type = 'knowledge_search' ORDER BY occurred_at`,
      );
      expect(searches.length).toBeGreaterThanOrEqual(CUSTOMERS * ROUNDS);
      const missed = searches.filter((s) => s.outcome !== 'hit');
      expect(missed).toEqual([]);
      // Every question's document is among what its conversation's searches found.
      const found = new Map<number, Set<string>>();
      for (const search of searches) {
        const set = found.get(Number(search.conversation_id)) ?? new Set<string>();
        for (const source of search.sources) set.add(path.basename(source));
        found.set(Number(search.conversation_id), set);
      }
      for (const [conversationId, sources] of asked)
        for (const source of sources) expect(found.get(conversationId)?.has(source), `${source}`).toBe(true);
      console.log(
        `load: ${CUSTOMERS * ROUNDS} customer messages in ${(drivenMs / 1000).toFixed(1)} s, ` +
          `${duplicated} duplicate deliveries, ${replies} reply parts, ${totals!.rows} events (${totals!.ids} ids), ` +
          `${searches.length} searches (${missed.length} missed), ${protocolErrors.length} protocol errors`,
      );
    } finally {
      await clickhouse.close();
    }
  }, 600_000);
});
