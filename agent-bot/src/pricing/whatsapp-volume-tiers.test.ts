import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@switchboard/core';
import { DEFAULT_PRICE_TABLE_PATH, loadPriceTable } from './price-table.js';
import { hasVolumeTiers, priceWhatsAppMessage } from './price-whatsapp-message.js';

/** The documented example override (its tiers are an operator's example, not Meta's numbers). */
const EXAMPLE = path.join(REPO_ROOT, 'config', 'examples', 'prices-volume-tiers.yaml');
const ours = loadPriceTable(DEFAULT_PRICE_TABLE_PATH, undefined);
const tiered = loadPriceTable(DEFAULT_PRICE_TABLE_PATH, EXAMPLE);
const december = new Date('2026-12-03T12:00:00Z');

function overrideFile(text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'prices-')), 'override.yaml');
  writeFileSync(file, text);
  return file;
}

describe('WhatsApp volume tiers', () => {
  it('ships no tiers: Meta’s thresholds could not be verified, so every market pays the list rate', () => {
    for (const card of ours.whatsapp) expect(card.volumeTiers).toEqual({});
    const millionth = priceWhatsAppMessage(ours, {
      category: 'utility',
      country: 'GB',
      windowOpen: false,
      deliveredAt: december,
      chargedThisMonth: 5_000_000,
    });
    expect(millionth).toMatchObject({ totalUsd: '0.0220', rule: 'rate_card', market: 'GB' });
    expect(millionth.volumeTier).toBeUndefined();
  });

  // [charged messages already this month, category, USD, tier, price version suffix]
  const CASES: Array<
    [number, 'utility' | 'authentication' | 'marketing' | 'service', string, number | undefined]
  > = [
    [0, 'utility', '0.0220', undefined], // the month's first
    [99_999, 'utility', '0.0220', undefined], // the 100,000th: still the list rate
    [100_000, 'utility', '0.0209', 1], // the 100,001st crosses into tier 1
    [999_999, 'utility', '0.0209', 1], // the 1,000,000th
    [1_000_000, 'utility', '0.0198', 2], // the 1,000,001st: tier 2
    [100_000, 'authentication', '0.0209', 1],
    [1_000_000, 'authentication', '0.0209', 1], // authentication has one tier in the example
    [5_000_000, 'marketing', '0.0529', undefined], // marketing has no volume tiers at Meta
    [5_000_000, 'service', '0.0220', undefined], // nor service messages (utility's list rate)
  ];
  it.each(CASES)(
    'after %i charged this month, a %s template to +44 costs %s (tier %s)',
    (before, category, usd, tier) => {
      const fee = priceWhatsAppMessage(tiered, {
        category,
        country: 'GB',
        windowOpen: category === 'service',
        deliveredAt: december,
        chargedThisMonth: before,
      });
      expect(fee.totalUsd).toBe(usd);
      expect(fee.volumeTier).toBe(tier);
      expect(fee.priceVersion).toBe(
        `prices.yaml@${ours.version}+acme-tiers-2026-12/whatsapp@2026-10-01${tier ? `/volume-tier-${tier}` : ''}`,
      );
    },
  );

  it('are effective-dated: the example adds them to the 2026-10-01 card only', () => {
    expect(hasVolumeTiers(tiered, december, 'GB', 'utility')).toBe(true);
    expect(hasVolumeTiers(tiered, new Date('2026-09-30T23:59:59Z'), 'GB', 'utility')).toBe(false);
    expect(hasVolumeTiers(tiered, december, 'DE', 'utility')).toBe(false);
    expect(hasVolumeTiers(tiered, december, 'GB', 'marketing')).toBe(false);
    const september = priceWhatsAppMessage(tiered, {
      category: 'utility',
      country: 'GB',
      windowOpen: false,
      deliveredAt: new Date('2026-09-30T12:00:00Z'),
      chargedThisMonth: 2_000_000,
    });
    expect(september).toMatchObject({
      totalUsd: '0.0220',
      priceVersion: expect.stringMatching(/whatsapp@2026-01-01$/),
    });
    // The override keeps our rules and rates on that card.
    const card = tiered.whatsapp.find((c) => c.effectiveFrom === '2026-10-01')!;
    expect(card.chargesService).toBe(true);
    expect(card.rates.GB?.utility).toBe('0.0220');
  });

  it('apply to a region by its market key (Portugal in Rest of Western Europe)', () => {
    const table = loadPriceTable(
      DEFAULT_PRICE_TABLE_PATH,
      overrideFile(`version: t
whatsapp:
  - effectiveFrom: '2026-10-01'
    rates: {}
    volumeTiers:
      Rest of Western Europe: { utility: [{ from: 50001, rate: '0.0160' }] }
`),
    );
    const fee = (before: number) =>
      priceWhatsAppMessage(table, {
        category: 'utility',
        country: 'PT',
        windowOpen: false,
        deliveredAt: december,
        chargedThisMonth: before,
      }).totalUsd;
    expect([fee(49_999), fee(50_000)]).toEqual(['0.0171', '0.0160']);
  });

  it('refuse a file whose tiers are out of order or name a market the card has no rates for', () => {
    expect(() =>
      loadPriceTable(
        DEFAULT_PRICE_TABLE_PATH,
        overrideFile(`version: t
whatsapp:
  - effectiveFrom: '2026-10-01'
    rates: {}
    volumeTiers:
      GB: { utility: [{ from: 1000001, rate: '0.0198' }, { from: 100001, rate: '0.0209' }] }
`),
      ),
    ).toThrow(/volumeTiers\.GB\.utility: tiers must be in ascending order/);
    expect(() =>
      loadPriceTable(
        DEFAULT_PRICE_TABLE_PATH,
        overrideFile(`version: t
whatsapp:
  - effectiveFrom: '2026-10-01'
    rates: {}
    volumeTiers:
      Great Britain: { utility: [{ from: 100001, rate: '0.0209' }] }
`),
      ),
    ).toThrow(/volumeTiers for "Great Britain", which has no rates on that card/);
  });
});
