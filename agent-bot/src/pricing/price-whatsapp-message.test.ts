import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICE_TABLE_PATH, loadPriceTable, priceTableSchema } from './price-table.js';
import { priceWhatsAppMessage, type WhatsAppCategory } from './price-whatsapp-message.js';
import { countryOfPhone, whatsAppFee } from './whatsapp-fee.js';

const table = loadPriceTable(DEFAULT_PRICE_TABLE_PATH, undefined);
const at = (day: string) => new Date(`${day}T12:00:00Z`);
const price = (category: WhatsAppCategory, country: string | null, day: string, windowOpen = false) =>
  priceWhatsAppMessage(table, { category, country, windowOpen, deliveredAt: at(day) });

/**
 * Hand-computed from config/prices.yaml (docs/whatsapp-pricing.md has the sources): one row per
 * case, [category, country, delivered on, window open, USD, card, market or rule].
 */
const FEES: Array<[WhatsAppCategory, string, string, boolean, string, string, string]> = [
  // The shop's own market: United Kingdom, its own rates on every card.
  ['marketing', 'GB', '2025-07-01', false, '0.0529', '2025-07-01', 'GB'],
  ['utility', 'GB', '2026-03-02', false, '0.0220', '2026-01-01', 'GB'],
  ['utility', 'GB', '2026-03-02', true, '0', '2026-01-01', 'free_utility_in_window'],
  ['service', 'GB', '2026-09-30', true, '0', '2026-01-01', 'free_service'],
  // From 2026-10-01 service replies and in-window utility templates cost the utility rate.
  ['service', 'GB', '2026-10-01', true, '0.0220', '2026-10-01', 'GB'],
  ['utility', 'GB', '2026-12-03', true, '0.0220', '2026-10-01', 'GB'],
  ['authentication', 'GB', '2026-12-03', true, '0.0220', '2026-10-01', 'GB'],
  // Guernsey, Jersey, the Isle of Man: +44, billed as the United Kingdom.
  ['service', 'GG', '2026-11-02', true, '0.0220', '2026-10-01', 'GB'],
  ['marketing', 'JE', '2026-03-02', false, '0.0529', '2026-01-01', 'GB'],
  // Argentina's utility rate fell on 2025-10-01 (0.0289 → 0.0260).
  ['utility', 'AR', '2025-09-30', false, '0.0289', '2025-07-01', 'AR'],
  ['utility', 'AR', '2025-10-01', false, '0.0260', '2025-10-01', 'AR'],
  // India's marketing rate rose on 2026-01-01 (0.0107 → 0.0118).
  ['marketing', 'IN', '2025-12-31', false, '0.0107', '2025-10-01', 'IN'],
  ['marketing', 'IN', '2026-01-01', false, '0.0118', '2026-01-01', 'IN'],
  // North America (US, CA) utility fell on 2026-01-01 (0.0040 → 0.0034).
  ['utility', 'US', '2025-11-15', false, '0.0040', '2025-10-01', 'North America'],
  ['utility', 'CA', '2026-02-01', false, '0.0034', '2026-01-01', 'North America'],
  // Countries without their own rate pay their region's; the rest of the world "Other".
  ['marketing', 'PT', '2026-03-02', false, '0.0592', '2026-01-01', 'Rest of Western Europe'],
  ['service', 'PL', '2026-11-02', true, '0.0212', '2026-10-01', 'Rest of Central & Eastern Europe'],
  ['marketing', 'JP', '2026-03-02', false, '0.0732', '2026-01-01', 'Rest of Asia Pacific'],
  ['utility', 'KE', '2026-03-02', false, '0.0040', '2026-01-01', 'Rest of Africa'],
  ['marketing', 'UY', '2026-03-02', false, '0.0740', '2026-01-01', 'Rest of Latin America'],
  ['utility', 'QA', '2026-03-02', false, '0.0091', '2026-01-01', 'Rest of Middle East'],
  ['marketing', 'IS', '2026-03-02', false, '0.0592', '2026-01-01', 'Rest of Western Europe'],
  ['marketing', 'FJ', '2026-03-02', false, '0.0604', '2026-01-01', 'Other'],
  // The other large markets on the 2026 cards.
  ['marketing', 'BR', '2026-03-02', false, '0.0625', '2026-01-01', 'BR'],
  ['service', 'BR', '2026-11-02', true, '0.0068', '2026-10-01', 'BR'],
  ['marketing', 'DE', '2026-12-03', false, '0.1365', '2026-10-01', 'DE'],
  ['marketing', 'NL', '2026-12-03', false, '0.1597', '2026-10-01', 'NL'],
  ['service', 'IN', '2026-12-03', true, '0.0014', '2026-10-01', 'IN'],
  ['service', 'ID', '2026-12-03', true, '0.0250', '2026-10-01', 'ID'],
  ['service', 'MX', '2026-12-03', true, '0.0085', '2026-10-01', 'MX'],
  ['utility', 'CO', '2026-12-03', false, '0.0008', '2026-10-01', 'CO'],
  ['marketing', 'TR', '2026-12-03', false, '0.0109', '2026-10-01', 'TR'],
];

describe('priceWhatsAppMessage', () => {
  it.each(FEES)('%s to %s on %s (window open %s) costs %s (card %s, %s)', (...row) => {
    const [category, country, day, windowOpen, usd, card, marketOrRule] = row;
    const priced = price(category, country, day, windowOpen);
    expect(priced.totalUsd).toBe(usd);
    expect(priced.priced).toBe(true);
    expect(priced.priceVersion).toBe(`prices.yaml@${table.version}/whatsapp@${card}`);
    if (priced.rule === 'rate_card') expect(priced.market).toBe(marketOrRule);
    else expect(priced.rule).toBe(marketOrRule);
  });

  it('never guesses a rate it could not verify: unpriced, not zero-cost priced', () => {
    // France changed on 2025-10-01 and 2026-01-01 without a verified earlier value.
    expect(price('marketing', 'FR', '2025-08-01')).toMatchObject({
      totalUsd: '0',
      priced: false,
      priceVersion: 'unpriced',
      rule: 'unknown_country',
    });
    expect(price('marketing', 'FR', '2026-01-01').totalUsd).toBe('0.0859');
    // Morocco left Rest of Africa for its own rate on 2026-10-01.
    expect(price('utility', 'MA', '2026-09-30').totalUsd).toBe('0.0040');
    expect(price('utility', 'MA', '2026-10-01').priced).toBe(false);
    // Not a country, no number, before per-message pricing.
    expect(price('marketing', 'ZZ', '2026-03-01').priced).toBe(false);
    expect(price('marketing', null, '2026-03-01').priced).toBe(false);
    expect(price('marketing', 'BR', '2025-06-30')).toMatchObject({
      priced: false,
      rule: 'before_per_message_pricing',
    });
  });

  it('covers GB and every market of Meta’s rate card on the card in force today', () => {
    const today = table.whatsapp.at(-1)!;
    const markets = Object.keys(today.rates);
    expect(markets).toHaveLength(32);
    for (const country of ['GB', 'IN', 'BR', 'ID', 'MX', 'DE', 'IT', 'ES', 'FR', 'AR', 'CO', 'TR', 'EG']) {
      expect(markets).toContain(country);
    }
    for (const region of ['North America', 'Rest of Africa', 'Rest of Asia Pacific', 'Other']) {
      expect(markets).toContain(region);
    }
  });

  it('rejects a price table with float amounts', () => {
    expect(
      priceTableSchema.safeParse({
        version: '1',
        transcription: [{ provider: 'openai', model: 'whisper-1', perMinuteUsd: 0.006 }],
      }).success,
    ).toBe(false);
  });
});

describe('whatsAppFee', () => {
  const delivered = {
    channel: 'whatsapp' as const,
    customerPhone: '+447700900123',
    category: 'service' as const,
    lastCustomerMessageAt: new Date('2026-12-03T10:00:00Z'),
    deliveredAt: new Date('2026-12-03T10:00:05Z'),
  };

  it('takes the country from the number and the window from the last customer message', () => {
    expect(whatsAppFee(table, delivered)).toMatchObject({
      country: 'GB',
      windowOpen: true,
      totalUsd: '0.0220',
      market: 'GB',
    });
    expect(countryOfPhone('+5511987654321')).toBe('BR');
    // A Guernsey mobile (+44 7911): its own country, the United Kingdom's rate.
    expect(whatsAppFee(table, { ...delivered, customerPhone: '+447911123456' })).toMatchObject({
      country: 'GG',
      market: 'GB',
      totalUsd: '0.0220',
    });
    expect(countryOfPhone('+14155550123')).toBe('US');
    expect(countryOfPhone('not a number')).toBeNull();
    const lateUtility = whatsAppFee(table, {
      ...delivered,
      category: 'utility',
      deliveredAt: new Date('2026-03-04T10:00:00Z'),
      lastCustomerMessageAt: new Date('2026-03-03T09:59:59Z'),
    });
    expect(lateUtility).toMatchObject({ windowOpen: false, totalUsd: '0.0220' });
  });

  it('charges nothing outside WhatsApp', () => {
    expect(whatsAppFee(table, { ...delivered, channel: 'web' })).toBeNull();
  });
});

describe('operator override', () => {
  it('replaces our rates for the countries it lists, keeps the rest, and names both versions', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'prices-'));
    const file = path.join(dir, 'override.yaml');
    writeFileSync(
      file,
      [
        "version: 'acme-2026-11'",
        'whatsapp:',
        "  - effectiveFrom: '2026-10-01'",
        '    rates:',
        "      GB: { marketing: '0.0500', utility: '0.0200', authentication: '0.0200', service: '0.0100' }",
        "      MA: { marketing: '0.0300', utility: '0.0050', authentication: '0.0050' }",
      ].join('\n'),
    );
    const merged = loadPriceTable(DEFAULT_PRICE_TABLE_PATH, file);
    expect(merged.version).toBe(`${table.version}+acme-2026-11`);
    const on = (category: WhatsAppCategory, country: string) =>
      priceWhatsAppMessage(merged, { category, country, windowOpen: true, deliveredAt: at('2026-12-03') });
    expect(on('service', 'GB').totalUsd).toBe('0.0100');
    expect(on('marketing', 'GB').totalUsd).toBe('0.0500');
    // Unverified on our card, priced by the operator's.
    expect(on('utility', 'MA').totalUsd).toBe('0.0050');
    // Our rules for that date stay: in-window utility is charged.
    expect(on('utility', 'DE').totalUsd).toBe('0.0550');
    expect(on('utility', 'DE').priceVersion).toBe(
      `prices.yaml@${table.version}+acme-2026-11/whatsapp@2026-10-01`,
    );
  });
});
