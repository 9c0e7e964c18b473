import { describe, expect, it } from 'vitest';
import { botMessages, harnessPerTest, maria } from './harness.js';

const startTestHarness = harnessPerTest();

/**
 * A handoff whose Chatwoot calls fail half-way is retried by the lane until it goes through.
 * Before, every retry posted the agents' note again and scheduled the call-back follow-up
 * again; now each is keyed by the handoff (a marker read back with the user token, a keyed
 * follow-up id), so a retry adds nothing twice.
 */
describe('a handoff retried after a half-done attempt', () => {
  it('posts its note once and schedules its call back once', async () => {
    const h = await startTestHarness({ proxy: true });
    const at = new Date(h.sim.clock.now().getTime() + 3_600_000).toISOString();
    h.responder.setScript(() => ({
      messages: [],
      handoff: {
        reason: 'model_tool',
        summary: 'Wants a call back about a refund.',
        callback: { number: '+5511988887777', at, followUpText: 'Call the customer back about the refund.' },
      },
    }));
    // toggle_status refuses three times (the client's own attempts: the step fails once, the lane retries it); the note and the call back are done by then.
    let refusals = 0;
    h.proxy!.failWhen = (method, url) =>
      method === 'POST' && url.endsWith('/toggle_status') && refusals++ < 3;
    const first = h.sim.customer.sendText(maria(h), 'Quero meu dinheiro de volta');
    const ref = { accountId: h.accountId, displayId: first.conversation.displayId };
    await h.sim.waitFor(() => h.sim.conversation(ref).status === 'open', { timeoutMs: 30_000 });
    expect(refusals).toBeGreaterThanOrEqual(3);

    const notes = botMessages(h, ref.displayId).filter((m) => m.private);
    expect(notes.map((m) => m.content)).toEqual([
      expect.stringContaining('Wants a call back about a refund.'),
    ]);
    const followUps = await h.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM engine_follow_ups WHERE conversation_id = $1`,
      [ref.displayId],
    );
    expect(followUps[0]!.n).toBe(1);
  });
});
