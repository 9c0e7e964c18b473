import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, switchboardConfigSchema } from '@switchboard/core';
import { createTestClickHouse, type TestClickHouse } from '@switchboard/core/testing';
import { buildAnalyticsService, createShipper } from '@switchboard/analytics';
import { botMessages, startHarness, type Harness } from '@switchboard/agent-bot/testing/harness';

/**
 * WhatsApp fees from the agent-bot to the metrics API: a UK customer's question answered through
 * the simulator is a service message (charged since 2026-10-01, GB utility rate 0.0220 USD); its
 * whatsapp_fee event is shipped to ClickHouse and shows in the per-conversation cost by kind, the
 * metrics API and the insight panel's total.
 */
const TOKEN = 'token-account-one-0123456789abcdef';
let h: Harness;
let ch: TestClickHouse;

beforeAll(async () => {
  ch = await createTestClickHouse();
  h = await startHarness({});
});
afterAll(async () => {
  await h?.close();
  await ch?.close();
});

describe('WhatsApp fees in analytics', () => {
  it('ships the fee and the API shows it as its own cost kind', async () => {
    const sent = h.sim.customer.sendText(
      { inboxId: h.inboxId, phone: '+447911123456', name: 'Tom' },
      'Are you open today?',
    );
    const displayId = sent.conversation.displayId;
    await h.sim.waitFor(() => botMessages(h, displayId).length === 1, { timeoutMs: 15_000 });
    const pool = h.bot!.engine.context.db.pool;
    for (let i = 0; i < 50; i++) {
      const fees = await pool.query(`SELECT 1 FROM analytics_outbox WHERE event_type = 'whatsapp_fee'`);
      if (fees.rows.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const config = switchboardConfigSchema.parse({
      ...h.config,
      analytics: { ...h.config.analytics, accounts: [{ accountId: h.accountId, apiToken: TOKEN }] },
    });
    const logger = createLogger({ level: 'silent' });
    const shipper = createShipper({ db: h.db, clickhouse: ch, logger, options: config.analytics.shipper });
    while ((await shipper.shipOnce()).batchId !== null);
    const app = buildAnalyticsService({ config, logger, db: h.db, clickhouse: ch, startShipper: false });
    try {
      await app.ready();
      const day = (offset: number) =>
        new Date(h.sim.clock.nowMs() + offset * 86_400_000).toISOString().slice(0, 10);
      const headers = { authorization: `Bearer ${TOKEN}` };
      const metrics = (
        await app.inject({ url: `/api/metrics?from=${day(-1)}&to=${day(1)}`, headers })
      ).json();
      expect(metrics.cost.byKind.whatsapp).toBe('0.022');
      expect(metrics.cost.perConversationByKind.whatsapp).toBe('0.022');
      const insight = (await app.inject({ url: `/api/conversations/${displayId}/insight`, headers })).json();
      expect(insight.totalCostUsd).toBe('0.022');
    } finally {
      await app.close();
    }
  });
});
