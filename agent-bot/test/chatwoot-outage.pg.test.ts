import { describe, expect, it } from 'vitest';
import { botMessages, harnessPerTest, maria } from './harness.js';

const startTestHarness = harnessPerTest();

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Chatwoot down while replying', () => {
  it('retries with backoff and delivers the reply once when Chatwoot is back', async () => {
    const h = await startTestHarness({ proxy: true });
    h.proxy!.down = true;
    const first = h.sim.customer.sendText(maria(h), 'Vocês estão aí?');
    const ref = { accountId: h.accountId, displayId: first.conversation.displayId };
    await h.sim.waitFor(() => h.proxy!.refused >= 3, { timeoutMs: 15_000 });
    await pause(1500);
    expect(botMessages(h, ref.displayId)).toHaveLength(0);
    h.proxy!.down = false;
    await h.sim.waitFor(() => botMessages(h, ref.displayId).length >= 1, { timeoutMs: 20_000 });
    await pause(2000);
    expect(botMessages(h, ref.displayId).map((m) => m.content)).toEqual(['re: Vocês estão aí?']);
  });

  it('hands off with a note once Chatwoot is reachable again after the delivery budget ran out', async () => {
    const h = await startTestHarness({ proxy: true, tuning: { deliveryAttempts: 2 } });
    h.proxy!.down = true;
    const first = h.sim.customer.sendText(maria(h), 'Alô?');
    const ref = { accountId: h.accountId, displayId: first.conversation.displayId };
    for (let i = 0; i < 200; i++) {
      const [row] = await h.query<{ pending: boolean }>(
        `SELECT pending_handoff IS NOT NULL AS pending FROM engine_conversations WHERE conversation_id = $1`,
        [ref.displayId],
      );
      if (row?.pending) break;
      await pause(100);
    }
    h.proxy!.down = false;
    await h.sim.waitFor(() => h.sim.conversation(ref).status === 'open', { timeoutMs: 20_000 });
    const messages = botMessages(h, ref.displayId);
    expect(messages.filter((m) => !m.private)).toHaveLength(0);
    expect(messages.filter((m) => m.private).map((m) => m.content)).toEqual([
      expect.stringContaining('delivery failure'),
    ]);
  });
});
