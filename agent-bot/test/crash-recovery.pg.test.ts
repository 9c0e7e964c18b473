import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { createLogger } from '@switchboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentBot } from '../src/start-agent-bot.js';
import { botMessages, startHarness, TEST_TUNING, type Harness, dropTestDatabase } from './harness.js';

let db: TestDatabase;
let h: Harness;
let child: ChildProcess | null = null;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await h?.close();
  await (db && dropTestDatabase(db));
});

/** Starts the child agent-bot; resolves with its URL and a promise for "RESPONDING". */
function startChild(harness: Harness): Promise<{ url: string; responding: Promise<void> }> {
  const script = fileURLToPath(new URL('./child-agent-bot.ts', import.meta.url));
  child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: {
      ...process.env,
      CHILD_CONFIG: JSON.stringify(harness.config),
      CHILD_DB_URL: db.url,
      ...(db.schema ? { CHILD_DB_SCHEMA: db.schema } : {}),
      CHILD_RESPONDER_DELAY_MS: '60000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let respondingResolve: () => void = () => undefined;
    const responding = new Promise<void>((r) => (respondingResolve = r));
    let buffer = '';
    child!.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const ready = /READY (\S+)/.exec(buffer);
      if (ready) resolve({ url: ready[1]!, responding });
      if (buffer.includes('RESPONDING')) respondingResolve();
    });
    child!.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
    setTimeout(() => reject(new Error('child did not start')), 60_000);
  });
}

describe('crash recovery', () => {
  it('answers exactly once after the worker is SIGKILLed mid-turn and another takes over', async () => {
    h = await startHarness({ db, noBot: true });
    const running = await startChild(h);
    h.connect(running.url);
    const first = h.sim.customer.sendText(
      { inboxId: h.inboxId, phone: '+5511987654321', name: 'Maria' },
      'Oi, tudo bem?',
    );
    const ref = { accountId: h.accountId, displayId: first.conversation.displayId };
    await running.responding;
    child!.kill('SIGKILL');
    await new Promise((resolve) => child!.once('exit', resolve));
    child = null;
    expect(botMessages(h, ref.displayId)).toHaveLength(0);

    // A fresh process (here: in-process) on the same database; its sweeper finds the orphaned lane.
    const bot = await startAgentBot({
      config: h.config,
      db,
      logger: createLogger({ level: 'warn', format: 'json', name: 'agent-bot-restarted' }),
      responder: h.responder,
      clock: h.sim.clock,
      tuning: TEST_TUNING,
    });
    try {
      h.connect(bot.url);
      await h.sim.waitFor(() => botMessages(h, ref.displayId).length >= 1, { timeoutMs: 20_000 });
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(botMessages(h, ref.displayId).map((m) => m.content)).toEqual(['re: Oi, tudo bem?']);
    } finally {
      await bot.close();
    }
  });
});
