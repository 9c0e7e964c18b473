import { describe, expect, it } from 'vitest';
import { loadPriceTable, priceTableSchema } from './price-table.js';
import { priceWhatsAppMessage } from './price-whatsapp-message.js';

const table = loadPriceTable();
const at = (day: string) => new Date(`${day}T12:00:00Z`);

describe('priceWhatsAppMessage', () => {
  it('charges a delivered template by category and country from the card in effect', () => {
    expect(
      priceWhatsAppMessage(table, {
        category: 'marketing',
        country: 'BR',
        windowOpen: false,
        deliveredAt: at('2026-03-02'),
      }),
    ).toEqual({
      totalUsd: '0.0782',
      priceVersion: `prices.yaml@${table.version}/whatsapp@2026-01-01`,
      priced: true,
      rule: 'rate_card',
    });
    // The same country before the 2026 card took effect: the July 2025 card.
    expect(
      priceWhatsAppMessage(table, {
        category: 'marketing',
        country: 'ar',
        windowOpen: false,
        deliveredAt: at('2025-09-10'),
      }).totalUsd,
    ).toBe('0.0618');
    expect(
      priceWhatsAppMessage(table, {
        category: 'authentication',
        country: 'AR',
        windowOpen: true,
        deliveredAt: at('2026-02-10'),
      }).totalUsd,
    ).toBe('0.0325');
  });

  it('falls back to the newest older card that lists the country, and says which', () => {
    const priced = priceWhatsAppMessage(table, {
      category: 'utility',
      country: 'AU',
      windowOpen: false,
      deliveredAt: at('2026-05-01'),
    });
    expect(priced.totalUsd).toBe('0.0113');
    expect(priced.priceVersion).toMatch(/whatsapp@2025-07-01$/);
  });

  it('is free for service messages and for utility templates inside the window', () => {
    expect(
      priceWhatsAppMessage(table, {
        category: 'service',
        country: 'BR',
        windowOpen: true,
        deliveredAt: at('2026-03-01'),
      }),
    ).toMatchObject({ totalUsd: '0', rule: 'free_service' });
    expect(
      priceWhatsAppMessage(table, {
        category: 'utility',
        country: 'BR',
        windowOpen: true,
        deliveredAt: at('2026-03-01'),
      }),
    ).toMatchObject({ totalUsd: '0', rule: 'free_utility_in_window' });
    expect(
      priceWhatsAppMessage(table, {
        category: 'utility',
        country: 'BR',
        windowOpen: false,
        deliveredAt: at('2026-03-01'),
      }).totalUsd,
    ).toBe('0.0085');
  });

  it('charges service messages once a card lists a service rate for the country', () => {
    const withService = {
      ...table,
      whatsapp: [
        ...table.whatsapp,
        {
          effectiveFrom: '2026-10-01',
          rates: {
            BR: { marketing: '0.0782', utility: '0.0085', authentication: '0.0085', service: '0.0012' },
          },
        },
      ],
    };
    expect(
      priceWhatsAppMessage(withService, {
        category: 'service',
        country: 'BR',
        windowOpen: true,
        deliveredAt: at('2026-11-02'),
      }),
    ).toEqual({
      totalUsd: '0.0012',
      priceVersion: `prices.yaml@${table.version}/whatsapp@2026-10-01`,
      priced: true,
      rule: 'rate_card',
    });
    expect(
      priceWhatsAppMessage(withService, {
        category: 'service',
        country: 'BR',
        windowOpen: true,
        deliveredAt: at('2026-09-30'),
      }).rule,
    ).toBe('free_service');
  });

  it('leaves unknown countries and dates before every card unpriced', () => {
    expect(
      priceWhatsAppMessage(table, {
        category: 'marketing',
        country: 'ZZ',
        windowOpen: false,
        deliveredAt: at('2026-03-01'),
      }),
    ).toMatchObject({ priced: false, priceVersion: 'unpriced' });
    expect(
      priceWhatsAppMessage(table, {
        category: 'marketing',
        country: 'BR',
        windowOpen: false,
        deliveredAt: at('2024-01-01'),
      }).priced,
    ).toBe(false);
    expect(
      priceWhatsAppMessage(table, {
        category: 'marketing',
        country: null,
        windowOpen: false,
        deliveredAt: at('2026-03-01'),
      }).priced,
    ).toBe(false);
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
