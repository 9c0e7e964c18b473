import { createLogger } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { startAgentBot } from '../src/start-agent-bot.js';
import { botMessages, harnessPerTest, maria, type Harness, TEST_TUNING } from './harness.js';
import { ScriptedResponder } from './scripted-responder.js';

const startTestHarness = harnessPerTest();

async function settle(h: Harness, displayId: number, count: number): Promise<void> {
  await h.sim.waitFor(() => botMessages(h, displayId).length >= count, { timeoutMs: 15_000 });
  // Nothing more arrives afterwards (a duplicate would show up within the quiet window).
  await new Promise((resolve) => setTimeout(resolve, 800));
}

describe('burst merge and regeneration (through the simulator)', () => {
  it('answers a burst of three messages with one reply', async () => {
    const h = await startTestHarness();
    const first = h.sim.customer.sendText(maria(h), 'Oi!');
    h.sim.customer.sendText(maria(h), 'Quanto custa');
    h.sim.customer.sendText(maria(h), 'o plano anual?');
    const displayId = first.conversation.displayId;
    await settle(h, displayId, 1);
    const replies = botMessages(h, displayId);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.content).toBe('re: Oi! | Quanto custa | o plano anual?');
    expect(h.responder.calls).toHaveLength(1);
    const turns = await h.events('turn');
    expect(turns).toHaveLength(1);
    const payload = turns[0] as {
      mergedMessages: number;
      outcome: string;
      latencyMs: number;
      mergeDelayMs: number;
      replyMessageIds: number[];
    };
    expect(payload.mergedMessages).toBe(3);
    expect(payload.outcome).toBe('replied');
    expect(payload.latencyMs).toBeGreaterThanOrEqual(payload.mergeDelayMs);
    // The burst window: from the first message's arrival to 300 ms after the last one.
    expect(payload.mergeDelayMs).toBeGreaterThanOrEqual(300);
    expect(payload.mergeDelayMs).toBeLessThan(3000);
    expect(payload.replyMessageIds).toEqual([replies[0]!.id]);
  });

  it('regenerates the unsent answer when the customer writes mid-generation', async () => {
    const h = await startTestHarness();
    h.responder.delayMs = 1500;
    const first = h.sim.customer.sendText(maria(h), 'Qual o horário?');
    const displayId = first.conversation.displayId;
    await h.sim.waitFor(() => h.responder.calls.length === 1, { timeoutMs: 10_000 });
    h.sim.customer.sendText(maria(h), 'E aos sábados?');
    await h.sim.waitFor(() => h.responder.calls.length === 2, { timeoutMs: 10_000 });
    h.responder.delayMs = 0;
    await settle(h, displayId, 1);
    const replies = botMessages(h, displayId);
    expect(replies.map((r) => r.content)).toEqual(['re: Qual o horário? | E aos sábados?']);
    const [turn] = await h.events('turn');
    expect(turn!.regenerations).toBeGreaterThanOrEqual(1);
    expect(turn!.mergedMessages).toBe(2);
    // The discarded generation's cost is still recorded, marked discarded.
    const calls = await h.events('model_call');
    expect(calls.map((c) => c.discarded).sort()).toEqual([false, true]);
  });

  it('shows "typing…" while a slow generation runs, and not for an instant answer', async () => {
    const h = await startTestHarness();
    const typing = () =>
      h.sim.recorder.apiCalls
        .filter((call) => call.path.endsWith('/toggle_typing_status'))
        .map((call) => (call.requestBody as { typing_status: string }).typing_status);
    const instant = h.sim.customer.sendText(maria(h), 'Oi');
    await settle(h, instant.conversation.displayId, 1);
    expect(typing()).toEqual([]);
    h.responder.delayMs = 1000;
    h.sim.customer.sendText(maria(h), 'Qual o preço?');
    await settle(h, instant.conversation.displayId, 2);
    await h.sim.waitFor(() => typing().length === 2);
    expect(typing()).toEqual(['on', 'off']);
  });

  it('regenerates when another process stored the newer message (the turn commit is guarded)', async () => {
    // This process would only notice the new message by polling; the poll is off here, so only
    // the guarded commit can catch it.
    const h = await startTestHarness({ tuning: { newMessagePollMs: 600_000 } });
    const other = await startAgentBot({
      config: h.config,
      db: h.db,
      logger: createLogger({ level: 'warn', format: 'json', name: 'second-agent-bot' }),
      responder: new ScriptedResponder(),
      clock: h.sim.clock,
      tuning: TEST_TUNING,
    });
    try {
      h.responder.delayMs = 1500;
      const first = h.sim.customer.sendText(maria(h), 'Qual o horário?');
      const displayId = first.conversation.displayId;
      await h.sim.waitFor(() => h.responder.calls.length === 1, { timeoutMs: 10_000 });
      h.connect(other.url); // the next webhook reaches the other process
      h.sim.customer.sendText(maria(h), 'E aos sábados?');
      await h.sim.waitFor(() => h.responder.calls.length === 2, { timeoutMs: 10_000 });
      h.responder.delayMs = 0;
      await settle(h, displayId, 1);
      expect(botMessages(h, displayId).map((r) => r.content)).toEqual([
        're: Qual o horário? | E aos sábados?',
      ]);
      const [turn] = await h.events('turn');
      expect(turn).toMatchObject({ mergedMessages: 2, regenerations: 1 });
      const calls = await h.events('model_call');
      expect(calls.map((c) => c.discarded).sort()).toEqual([false, true]);
    } finally {
      await other.close();
    }
  });

  it('gives exactly one reply per burst with duplicated and shuffled deliveries', async () => {
    const h = await startTestHarness({
      simulator: { behaviour: { shuffleWebhooks: true, shuffleSeed: 7, webhookRetryDelayMs: 50 } },
    });
    const first = h.sim.customer.sendText(maria(h), 'um');
    h.sim.customer.sendText(maria(h), 'dois');
    const displayId = first.conversation.displayId;
    // Replay every delivery the bot got so far, byte for byte (a Chatwoot job retry).
    const delivered = () => h.sim.webhooks({ event: 'message_created', outcome: 'delivered' });
    await h.sim.waitFor(() => delivered().length >= 2);
    const url = h.sim.store.agentBots.get(h.botId)!.outgoingUrl;
    for (const record of delivered().slice(0, 2)) {
      const attempt = record.attempts.at(-1)!;
      const response = await fetch(url, {
        method: 'POST',
        headers: attempt.headers as Record<string, string>,
        body: record.body,
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'duplicate' });
    }
    await settle(h, displayId, 1);
    expect(botMessages(h, displayId)).toHaveLength(1);
    const [stored] = await h.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM engine_messages WHERE author = 'customer'`,
    );
    expect(stored!.n).toBe(2);
  });
});
