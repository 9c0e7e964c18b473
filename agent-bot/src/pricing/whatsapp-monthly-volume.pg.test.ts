import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { REPO_ROOT } from '@switchboard/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PRICE_TABLE_PATH, loadPriceTable } from './price-table.js';
import { chargedWhatsAppMessagesThisMonth, whatsAppFeeThisMonth } from './whatsapp-monthly-volume.js';
import type { DeliveredMessage } from './whatsapp-fee.js';

// Tiers of the documented example override (GB utility: list 0.0220, from the 100,001st 0.0209,
// from the 1,000,001st 0.0198). An operator's example, not Meta's numbers.
const table = loadPriceTable(
  DEFAULT_PRICE_TABLE_PATH,
  path.join(REPO_ROOT, 'config', 'examples', 'prices-volume-tiers.yaml'),
);
const london = { accountId: 7, timezone: 'Europe/London' };

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.drop());
beforeEach(async () => {
  await db.pool.query('DELETE FROM assistant_spend_ledger');
});

/** `n` charged fees (or refunds, negative) in the ledger, the way the reply sender writes them. */
async function ledger(
  n: number,
  at: string,
  { accountId = 7, market = 'GB', category = 'utility', usd = '0.0220' } = {},
): Promise<void> {
  await db.pool.query(
    `INSERT INTO assistant_spend_ledger
       (assistant, account_id, conversation_id, turn_id, kind, cost_usd, price_version, occurred_at, market, category)
     SELECT 'shop', $2, g, 't' || g, 'whatsapp', $6::numeric, 'test', $3::timestamptz, $4, $5
       FROM generate_series(1, $1) AS g`,
    [n, accountId, at, market, category, usd],
  );
}

const utilityTo = (phone: string, deliveredAt: string): DeliveredMessage => ({
  channel: 'whatsapp',
  customerPhone: phone,
  category: 'utility',
  lastCustomerMessageAt: null,
  deliveredAt: new Date(deliveredAt),
});

describe('the WhatsApp fee with the business’s volume this month (spend ledger, real PostgreSQL)', () => {
  it('the message that crosses a threshold gets the tier rate; other accounts, markets, categories and months do not count', async () => {
    await ledger(99_999, '2026-12-02T09:00:00Z');
    // Noise that must not count toward account 7's GB utility volume.
    await ledger(5_000, '2026-12-02T09:00:00Z', { accountId: 8 });
    await ledger(5_000, '2026-12-02T09:00:00Z', { market: 'DE', usd: '0.0550' });
    await ledger(5_000, '2026-12-02T09:00:00Z', { category: 'authentication' });
    await ledger(5_000, '2026-11-30T23:00:00Z'); // last month (23:00 GMT, still November)
    await ledger(5_000, '2026-12-02T09:00:00Z', { market: 'GB', category: 'marketing', usd: '0.0529' });

    const at = '2026-12-03T10:00:00Z';
    expect(
      await chargedWhatsAppMessagesThisMonth(db.pool, {
        ...london,
        market: 'GB',
        category: 'utility',
        at: new Date(at),
      }),
    ).toBe(99_999);
    const hundredThousandth = await whatsAppFeeThisMonth(
      db.pool,
      table,
      utilityTo('+447700900123', at),
      london,
    );
    expect(hundredThousandth).toMatchObject({ totalUsd: '0.0220', market: 'GB', country: 'GB' });
    expect(hundredThousandth?.volumeTier).toBeUndefined();
    await ledger(1, at);
    const next = await whatsAppFeeThisMonth(db.pool, table, utilityTo('+447700900124', at), london);
    expect(next).toMatchObject({ totalUsd: '0.0209', volumeTier: 1, rule: 'rate_card' });
    expect(next?.priceVersion).toMatch(/\/whatsapp@2026-10-01\/volume-tier-1$/);
    // A marketing template has no tiers: list rate whatever the volume, and no ledger read needed.
    const marketing = await whatsAppFeeThisMonth(
      db.pool,
      table,
      { ...utilityTo('+447700900124', at), category: 'marketing' },
      london,
    );
    expect(marketing).toMatchObject({ totalUsd: '0.0529' });
  });

  it('a refunded (undelivered) message leaves the count: the next one is the 100,000th again', async () => {
    await ledger(100_000, '2026-12-02T09:00:00Z');
    const at = '2026-12-03T10:00:00Z';
    expect(
      (await whatsAppFeeThisMonth(db.pool, table, utilityTo('+447700900123', at), london))?.totalUsd,
    ).toBe('0.0209');
    // One of them failed to deliver: the failure job's negative entry.
    await ledger(1, '2026-12-03T09:59:00Z', { usd: '-0.0220' });
    expect(
      (await whatsAppFeeThisMonth(db.pool, table, utilityTo('+447700900123', at), london))?.totalUsd,
    ).toBe('0.0220');
  });

  it('the count starts again at midnight in the business’s time zone, not UTC', async () => {
    await ledger(150_000, '2026-11-15T12:00:00Z');
    // 1 Dec 03:00 UTC: December in London (GMT), still 30 Nov 22:00 in New York.
    const at = '2026-12-01T03:00:00Z';
    const inLondon = await whatsAppFeeThisMonth(db.pool, table, utilityTo('+447700900123', at), london);
    expect(inLondon).toMatchObject({ totalUsd: '0.0220' });
    const inNewYork = await whatsAppFeeThisMonth(db.pool, table, utilityTo('+447700900123', at), {
      accountId: 7,
      timezone: 'America/New_York',
    });
    expect(inNewYork).toMatchObject({ totalUsd: '0.0209', volumeTier: 1 });
    // British summer time: 1 Jul 2027 00:30 BST is 30 Jun 23:30 UTC, already July in London.
    await ledger(150_000, '2027-06-10T12:00:00Z');
    const july = await whatsAppFeeThisMonth(
      db.pool,
      table,
      utilityTo('+447700900123', '2027-06-30T23:30:00Z'),
      london,
    );
    expect(july).toMatchObject({ totalUsd: '0.0220' });
    const utc = await whatsAppFeeThisMonth(
      db.pool,
      table,
      utilityTo('+447700900123', '2027-06-30T23:30:00Z'),
      {
        accountId: 7,
        timezone: 'UTC',
      },
    );
    expect(utc).toMatchObject({ totalUsd: '0.0209' });
  });

  it('without tiers on the card (our shipped rate card) the list rate applies whatever the volume', async () => {
    await ledger(200_000, '2026-12-02T09:00:00Z');
    const plain = loadPriceTable(DEFAULT_PRICE_TABLE_PATH, undefined);
    const fee = await whatsAppFeeThisMonth(
      db.pool,
      plain,
      utilityTo('+447700900123', '2026-12-03T10:00:00Z'),
      london,
    );
    expect(fee).toMatchObject({ totalUsd: '0.0220', market: 'GB' });
    expect(fee?.volumeTier).toBeUndefined();
  });
});
