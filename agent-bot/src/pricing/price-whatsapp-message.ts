import type { PriceTable } from './price-table.js';

export interface WhatsAppMessageToPrice {
  /** 'service' for any non-template message. */
  category: 'marketing' | 'utility' | 'authentication' | 'service';
  /** Recipient country, ISO 3166 alpha-2 (from the phone number's calling code). */
  country: string | null;
  /** Was the customer service window open when it was delivered? */
  windowOpen: boolean;
  deliveredAt: Date;
}

export interface PricedWhatsAppMessage {
  totalUsd: string;
  priceVersion: string;
  priced: boolean;
  /** Why the price is what it is, for the insight page. */
  rule: 'free_service' | 'free_utility_in_window' | 'rate_card' | 'unknown_country';
}

/**
 * Meta's per-message pricing (since 1 Jul 2025): only delivered templates cost money, by
 * category and recipient country; utility templates inside an open window are free.
 */
export function priceWhatsAppMessage(
  table: PriceTable,
  message: WhatsAppMessageToPrice,
): PricedWhatsAppMessage {
  const version = `prices.yaml@${table.version}`;
  const country = message.country?.toUpperCase() ?? null;
  const day = message.deliveredAt.toISOString().slice(0, 10);
  const card = [...table.whatsapp]
    .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom))
    .find((c) => c.effectiveFrom <= day && country !== null && c.rates[country]);
  if (message.category === 'service') {
    // Free unless the card in effect lists a service rate for the country.
    const rate = card && country ? card.rates[country]!.service : undefined;
    return rate
      ? {
          totalUsd: rate,
          priceVersion: `${version}/whatsapp@${card!.effectiveFrom}`,
          priced: true,
          rule: 'rate_card',
        }
      : { totalUsd: '0', priceVersion: version, priced: true, rule: 'free_service' };
  }
  if (message.category === 'utility' && message.windowOpen) {
    return { totalUsd: '0', priceVersion: version, priced: true, rule: 'free_utility_in_window' };
  }
  if (!card || country === null) {
    return { totalUsd: '0', priceVersion: 'unpriced', priced: false, rule: 'unknown_country' };
  }
  return {
    totalUsd: card.rates[country]![message.category],
    priceVersion: `${version}/whatsapp@${card.effectiveFrom}`,
    priced: true,
    rule: 'rate_card',
  };
}
