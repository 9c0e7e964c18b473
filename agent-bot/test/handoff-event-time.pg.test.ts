import { describe, expect, it } from 'vitest';
import { harnessPerTest, maria } from './harness.js';

const startTestHarness = harnessPerTest();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface OutboxRow {
  type: string;
  occurred_at: Date;
  message_id: string | null;
  author: string | null;
}

/**
 * The handoff event is timestamped when the bot decided to hand off (the turn's commit, as the
 * turn's other events are), not when the Chatwoot calls that carry it out have finished.
 * Analytics counts a customer message written after a handoff as the human's ("held"); with the
 * later time, a message racing the handoff (written while the calls were in flight) counted as
 * one the AI owned and never answered.
 */
describe('the handoff event time', () => {
  it('is the moment the handoff was decided, before Chatwoot was called: a message racing it counts as after it', async () => {
    const h = await startTestHarness({ proxy: true });
    h.responder.setScript(() => ({
      messages: [],
      handoff: { reason: 'model_tool', summary: 'Refund above the limit.' },
    }));
    // Chatwoot is slow to take the handoff: toggle_status fails twice (one failed step, retried
    // by the lane). The customer writes again while it is being refused the first time.
    let refusals = 0;
    let raced = false;
    let firstToggleAt: Date | null = null;
    h.proxy!.failWhen = (method, url) => {
      if (method !== 'POST' || !url.endsWith('/toggle_status')) return false;
      if (!firstToggleAt) firstToggleAt = h.sim.clock.now();
      if (!raced) {
        raced = true;
        h.sim.customer.sendText(maria(h), 'hello?');
      }
      return refusals++ < 3;
    };
    const first = h.sim.customer.sendText(maria(h), 'I want a refund of 900 euros');
    const ref = { accountId: h.accountId, displayId: first.conversation.displayId };
    await h.sim.waitFor(() => h.sim.conversation(ref).status === 'open', { timeoutMs: 30_000 });
    // The handoff event commits with the conversation's handed-off state, after the status call.
    for (let tries = 0; tries < 100; tries++) {
      if ((await h.events('handoff')).length > 0) break;
      await pause(100);
    }
    expect(refusals).toBeGreaterThanOrEqual(3);

    const rows = await h.query<OutboxRow>(
      `SELECT event_type AS type, occurred_at, event->'payload'->>'messageId' AS message_id,
              event->'payload'->>'author' AS author
         FROM analytics_outbox ORDER BY seq`,
    );
    const handoff = rows.find((r) => r.type === 'handoff')!;
    const modelCall = rows.find((r) => r.type === 'model_call')!;
    const customerMessages = rows.filter((r) => r.type === 'message' && r.author === 'customer');
    expect(customerMessages).toHaveLength(2);
    const [trigger, racing] = customerMessages as [OutboxRow, OutboxRow];

    // The same instant as the turn's other events (the decision), before the first Chatwoot call.
    expect(handoff.occurred_at.getTime()).toBe(modelCall.occurred_at.getTime());
    expect(handoff.occurred_at.getTime()).toBeLessThanOrEqual(firstToggleAt!.getTime());
    // After the message that triggered it, at or before the one that raced it (so that one is held).
    expect(handoff.occurred_at.getTime()).toBeGreaterThanOrEqual(trigger.occurred_at.getTime());
    expect(handoff.occurred_at.getTime()).toBeLessThanOrEqual(racing.occurred_at.getTime());
    // The turn that decided it closes after the decision.
    const turn = rows.find((r) => r.type === 'turn')!;
    expect(turn.occurred_at.getTime()).toBeGreaterThanOrEqual(handoff.occurred_at.getTime());
  });
});
