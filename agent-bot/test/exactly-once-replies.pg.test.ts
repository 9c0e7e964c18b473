import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createLogger, type SwitchboardConfig } from '@switchboard/core';
import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAgentBot, type RunningAgentBot } from '../src/start-agent-bot.js';
import { dropTestDatabase, startHarness, TEST_TUNING, type Harness } from './harness.js';
import { startSlowChatwootProxy, type SlowChatwootProxy } from './slow-chatwoot-proxy.js';

/**
 * Exactly one reply per turn when Chatwoot is slow to answer POST …/messages and the echo
 * webhook never arrives: the bot is SIGKILLed with the POSTs in flight (or its POSTs time out),
 * and what it posted must be found in Chatwoot by its marker, not posted again.
 */
/** Replies in flight at the kill; CRASH_TEST_CONVERSATIONS=40 runs a bigger one. */
const CONVERSATIONS = Number(process.env.CRASH_TEST_CONVERSATIONS ?? 16);
/** The proxy alternates: every other POST reaches Chatwoot before the kill. */
const STORED_BEFORE_KILL = Math.ceil(CONVERSATIONS / 2);
const DEAD_URL = 'http://127.0.0.1:9/webhooks/chatwoot';

let db: TestDatabase;
let h: Harness | null = null;
let proxy: SlowChatwootProxy | null = null;
let child: ChildProcess | null = null;
let bot: RunningAgentBot | null = null;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  child?.kill('SIGKILL');
  child = null;
  await bot?.close();
  bot = null;
  await proxy?.close();
  proxy = null;
  await h?.close();
  h = null;
});
afterAll(async () => db && dropTestDatabase(db));

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function throughProxy(config: SwitchboardConfig, url: string, requestTimeoutMs: number): SwitchboardConfig {
  return {
    ...config,
    chatwoot: {
      ...config.chatwoot,
      requestTimeoutMs,
      accounts: config.chatwoot.accounts.map((account) => ({ ...account, baseUrl: url })),
    },
  };
}

function startChild(config: SwitchboardConfig): Promise<{ url: string; responding: () => number }> {
  const script = fileURLToPath(new URL('./child-agent-bot.ts', import.meta.url));
  child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: {
      ...process.env,
      CHILD_CONFIG: JSON.stringify(config),
      CHILD_DB_URL: db.url,
      ...(db.schema ? { CHILD_DB_SCHEMA: db.schema } : {}),
      CHILD_RESPONDER_DELAY_MS: '1500',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buffer = '';
    const responding = () => buffer.split('RESPONDING').length - 1;
    child!.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const ready = /READY (\S+)/.exec(buffer);
      if (ready) resolve({ url: ready[1]!, responding });
    });
    child!.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
    setTimeout(() => reject(new Error('child did not start')), 60_000);
  });
}

function customers(harness: Harness) {
  return Array.from({ length: CONVERSATIONS }, (_, i) => ({
    inboxId: harness.inboxId,
    phone: `+55119${String(30_000_000 + i)}`,
    name: `C${i}`,
  }));
}

/** Bot replies per conversation, as the simulator (Chatwoot) holds them. */
function tally(harness: Harness, refs: { accountId: number; displayId: number }[]) {
  const counts = refs.map(
    (ref) =>
      harness.sim
        .messages(ref)
        .filter((m) => m.messageType === 'outgoing' && m.senderType === 'AgentBot' && !m.private).length,
  );
  return {
    counts,
    duplicates: counts.reduce((sum, n) => sum + Math.max(0, n - 1), 0),
    missing: counts.filter((n) => n === 0).length,
  };
}

describe('exactly-once replies across crashes', () => {
  it(
    'SIGKILL with every reply POST in flight, echo lost, Chatwoot slow: 0 duplicates, 0 missing after restart',
    { timeout: 180_000 },
    async () => {
      h = await startHarness({ db, noBot: true });
      // A webhook the bot cannot take must not hand the conversation to a human here.
      h.sim.store.accounts.get(h.accountId)!.keepPendingOnBotFailure = true;
      proxy = await startSlowChatwootProxy(h.sim.url);
      const running = await startChild(throughProxy(h.config, proxy.url, 60_000));
      h.connect(running.url);
      const refs = customers(h).map((customer, i) => {
        const sent = h!.sim.customer.sendText(customer, `pergunta ${i}`);
        return { accountId: h!.accountId, displayId: sent.conversation.displayId };
      });
      await h.sim.waitFor(() => running.responding() >= CONVERSATIONS, {
        timeoutMs: 60_000,
        description: 'every turn generating',
      });
      // From here on Chatwoot's webhooks (the echoes of the bot's replies) find no bot.
      h.sim.store.agentBots.get(h.botId)!.outgoingUrl = DEAD_URL;
      proxy.mode = 'alternate';
      await h.sim.waitFor(() => proxy!.inFlight >= CONVERSATIONS, {
        timeoutMs: 60_000,
        description: 'every reply POST in flight',
      });
      const inFlight = proxy.inFlight;
      const createdBeforeKill = proxy.forwarded;
      child!.kill('SIGKILL');
      await new Promise((resolve) => child!.once('exit', resolve));
      child = null;
      proxy.mode = 'pass';
      const beforeRestart = tally(h, refs);

      bot = await startAgentBot({
        config: throughProxy(h.config, proxy.url, 2000),
        db,
        logger: createLogger({ level: 'warn', format: 'json', name: 'agent-bot-restarted' }),
        responder: h.responder,
        clock: h.sim.clock,
        tuning: TEST_TUNING,
      });
      h.connect(bot.url);
      await h.sim.waitFor(() => tally(h!, refs).missing === 0, {
        timeoutMs: 60_000,
        description: 'a reply in every conversation',
      });
      await pause(4000);
      const after = tally(h, refs);
      console.info(
        `exactly-once after SIGKILL: in flight ${inFlight} (created in Chatwoot before the kill ${createdBeforeKill}, ` +
          `never arrived ${inFlight - createdBeforeKill}), duplicates ${after.duplicates}, missing ${after.missing}`,
      );
      expect(inFlight).toBe(CONVERSATIONS);
      expect(createdBeforeKill).toBe(STORED_BEFORE_KILL);
      expect(beforeRestart.counts.filter((n) => n === 1)).toHaveLength(STORED_BEFORE_KILL);
      expect(after).toMatchObject({ duplicates: 0, missing: 0 });
      for (const [i, ref] of refs.entries()) {
        const replies = h.sim
          .messages(ref)
          .filter((m) => m.messageType === 'outgoing' && m.senderType === 'AgentBot')
          .map((m) => m.content);
        expect(replies).toEqual([`re: pergunta ${i}`]);
      }
    },
  );

  it(
    'a POST that times out after Chatwoot stored it is found by its marker, not posted again',
    { timeout: 120_000 },
    async () => {
      h = await startHarness({ db, noBot: true });
      h.sim.store.accounts.get(h.accountId)!.keepPendingOnBotFailure = true;
      proxy = await startSlowChatwootProxy(h.sim.url);
      proxy.stallMs = 3000;
      bot = await startAgentBot({
        config: throughProxy(h.config, proxy.url, 1000),
        db,
        logger: createLogger({ level: 'warn', format: 'json', name: 'agent-bot-timeouts' }),
        responder: h.responder,
        clock: h.sim.clock,
        tuning: TEST_TUNING,
      });
      h.connect(bot.url);
      const refs = customers(h)
        .slice(0, 6)
        .map((customer, i) => {
          const sent = h!.sim.customer.sendText(customer, `pergunta ${i}`);
          return { accountId: h!.accountId, displayId: sent.conversation.displayId };
        });
      await h.sim.waitFor(() => h!.sim.messages(refs[0]!).some((m) => m.messageType === 'incoming'), {
        timeoutMs: 10_000,
      });
      // Every reply POST is stored and then answered too late; the echoes are lost.
      h.sim.store.agentBots.get(h.botId)!.outgoingUrl = DEAD_URL;
      proxy.mode = 'store-then-stall';
      await h.sim.waitFor(() => tally(h!, refs).missing === 0, { timeoutMs: 60_000 });
      await pause(5000);
      const after = tally(h, refs);
      console.info(
        `exactly-once after timeouts: POSTs stored then unanswered ${proxy.forwarded}, duplicates ${after.duplicates}, missing ${after.missing}`,
      );
      expect(after).toMatchObject({ duplicates: 0, missing: 0 });
    },
  );
});
