import { describe, expect, it } from 'vitest';
import { botMessages, harnessPerTest } from './harness.js';

const startTestHarness = harnessPerTest();

interface FeeEvent {
  costUsd: string;
  payload: { feeRule: string; messageId: number; market?: string };
}

/**
 * Meta charges delivered messages only. The reply sender records a message's WhatsApp fee when
 * Chatwoot accepts it; when WhatsApp then reports the message failed, the fee is taken back
 * (a negative whatsapp_fee), so the conversation's cost, the totals and the budget net to what
 * Meta bills. Before, a failed message kept its fee.
 */
describe('the WhatsApp fee of a message that failed to deliver', () => {
  it('is refunded in the events and the budget ledger, once', async () => {
    const h = await startTestHarness();
    h.responder.setScript(() => ({ messages: [{ kind: 'text', text: 'Your order ships tomorrow.' }] }));
    // A UK customer: since 1 Oct 2026 a service reply costs the GB utility rate.
    const tom = { inboxId: h.inboxId, phone: '+447911123456', name: 'Tom' };
    const sent = h.sim.customer.sendText(tom, 'Where is my order?');
    const displayId = sent.conversation.displayId;
    await h.sim.waitFor(() => botMessages(h, displayId).length === 1, { timeoutMs: 15_000 });
    const reply = botMessages(h, displayId)[0]!;
    const fees = async () =>
      (
        await h.query<{ event: FeeEvent }>(
          `SELECT event FROM analytics_outbox WHERE event_type = 'whatsapp_fee' ORDER BY seq`,
        )
      ).map((row) => row.event);
    for (let i = 0; i < 50 && (await fees()).length < 1; i++) await new Promise((r) => setTimeout(r, 100));
    const [charged] = await fees();
    expect(charged).toMatchObject({ payload: { feeRule: 'rate_card', messageId: reply.id, market: 'GB' } });
    expect(Number(charged!.costUsd)).toBeGreaterThan(0);

    // WhatsApp reports it failed (the customer's number stopped using WhatsApp), twice.
    h.sim.receipt(reply.id, 'failed', { code: 131026, title: 'Message undeliverable' });
    h.sim.receipt(reply.id, 'failed', { code: 131026, title: 'Message undeliverable' });
    await h.sim.waitForIdle();
    for (let i = 0; i < 100 && (await fees()).length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500));
    expect((await fees()).map((e) => [e.payload.feeRule, e.costUsd])).toEqual([
      ['rate_card', charged!.costUsd],
      ['refund_undelivered', `-${charged!.costUsd}`],
    ]);
    const ledger = await h.query<{ total: string; rows: number }>(
      `SELECT COALESCE(SUM(cost_usd), 0)::float8::text AS total, count(*)::int AS rows
         FROM assistant_spend_ledger WHERE kind = 'whatsapp' AND conversation_id = $1`,
      [displayId],
    );
    expect(ledger[0]).toEqual({ total: '0', rows: 2 });
    // Both entries name the fee's market and category, so the refunded message leaves the
    // month's count for Meta's volume tiers.
    const counted = await h.query<{ market: string; category: string; cost: string }>(
      `SELECT market, category, cost_usd::float8::text AS cost FROM assistant_spend_ledger
        WHERE kind = 'whatsapp' AND conversation_id = $1 ORDER BY id`,
      [displayId],
    );
    expect(counted).toEqual([
      { market: 'GB', category: 'service', cost: String(Number(charged!.costUsd)) },
      { market: 'GB', category: 'service', cost: String(-Number(charged!.costUsd)) },
    ]);
  });
});
