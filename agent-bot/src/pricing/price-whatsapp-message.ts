import { getCountryCallingCode, isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import metadata from 'libphonenumber-js/metadata.min.json';
import type { PriceTable } from './price-table.js';

export type WhatsAppCategory = 'marketing' | 'utility' | 'authentication' | 'service';

export interface WhatsAppMessageToPrice {
  /** 'service' for any non-template message. */
  category: WhatsAppCategory;
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
  rule:
    | 'free_service'
    | 'free_utility_in_window'
    | 'rate_card'
    | 'unknown_country'
    | 'before_per_message_pricing';
  /** The rate card market the country was priced as (GB, "Rest of Western Europe", ...). */
  market?: string;
}

type Card = PriceTable['whatsapp'][number];

/**
 * Meta's per-message pricing: a delivered template costs its category's rate in the
 * recipient's market; before 2026-10-01 non-template (service) messages and utility templates
 * inside an open window are free, from then on both are charged (per the card in effect).
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
    .find((c) => c.effectiveFrom <= day);
  const unpriced = (rule: PricedWhatsAppMessage['rule']): PricedWhatsAppMessage => ({
    totalUsd: '0',
    priceVersion: 'unpriced',
    priced: false,
    rule,
  });
  if (!card) return unpriced('before_per_message_pricing');
  const free = (rule: 'free_service' | 'free_utility_in_window'): PricedWhatsAppMessage => ({
    totalUsd: '0',
    priceVersion: `${version}/whatsapp@${card.effectiveFrom}`,
    priced: true,
    rule,
  });
  if (message.category === 'service' && !card.chargesService) return free('free_service');
  if (message.category === 'utility' && message.windowOpen && !card.chargesUtilityInWindow) {
    return free('free_utility_in_window');
  }
  const market = country && isSupportedCountry(country) ? marketOf(card, country) : null;
  if (!market) return unpriced('unknown_country');
  const rates = card.rates[market]!;
  // Meta prices service messages at the market's utility rate unless the card says otherwise.
  const rate = message.category === 'service' ? (rates.service ?? rates.utility) : rates[message.category];
  return {
    totalUsd: rate,
    priceVersion: `${version}/whatsapp@${card.effectiveFrom}`,
    priced: true,
    rule: 'rate_card',
    market,
  };
}

/**
 * The card's key for a country: its own rate, its region's, else the rate of the main country
 * of its calling code (Meta bills by calling code: Guernsey, Jersey and the Isle of Man share
 * +44 and are billed as the United Kingdom), else "Other"; null when the card cannot tell.
 */
function marketOf(card: Card, country: string): string | null {
  if (card.unpriced.includes(country)) return null;
  const listed = (code: string): string | null => {
    if (card.rates[code]) return code;
    for (const [region, members] of Object.entries(card.regions)) {
      if (members.includes(code) && card.rates[region]) return region;
    }
    return null;
  };
  const own = listed(country);
  if (own) return own;
  const main = mainCountryOfCallingCode(country);
  if (main && main !== country && !card.unpriced.includes(main)) {
    const shared = listed(main);
    if (shared) return shared;
  }
  return card.rates.Other ? 'Other' : null;
}

function mainCountryOfCallingCode(country: string): string | null {
  const code = getCountryCallingCode(country as CountryCode);
  // The calling code's countries, main country first (libphonenumber's own order).
  return metadata.country_calling_codes[code]?.[0] ?? null;
}
