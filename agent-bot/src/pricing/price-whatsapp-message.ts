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
  /**
   * Charged messages of this category to this market the business already had this month
   * (volume tiers); absent = none counted, the list rate.
   */
  chargedThisMonth?: number;
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
  /** 1 for the card's first volume tier, ...; absent: the list rate. */
  volumeTier?: number;
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
  const card = cardOn(table, message.deliveredAt);
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
  const listRate =
    message.category === 'service' ? (rates.service ?? rates.utility) : rates[message.category];
  const tier = volumeTierOf(card, market, message.category, (message.chargedThisMonth ?? 0) + 1);
  return {
    totalUsd: tier ? tier.rate : listRate,
    // The tier is part of the version, so a recorded fee says which rate it used.
    priceVersion: `${version}/whatsapp@${card.effectiveFrom}${tier ? `/volume-tier-${tier.number}` : ''}`,
    priced: true,
    rule: 'rate_card',
    market,
    ...(tier ? { volumeTier: tier.number } : {}),
  };
}

/** Does the market have volume tiers for the category on this card (the fee depends on the month's count)? */
export function hasVolumeTiers(
  table: PriceTable,
  deliveredAt: Date,
  market: string,
  category: WhatsAppCategory,
): boolean {
  const card = cardOn(table, deliveredAt);
  return Boolean(
    card && (category === 'utility' || category === 'authentication') && card.volumeTiers[market]?.[category],
  );
}

/**
 * The tier the n-th charged message of the month falls in (Meta's tiers are graduated: the
 * rate of a tier applies from its first message on); null = the list rate. Service messages
 * have no tiers.
 */
function volumeTierOf(
  card: Card,
  market: string,
  category: WhatsAppCategory,
  nth: number,
): { number: number; rate: string } | null {
  if (category !== 'utility' && category !== 'authentication') return null;
  const tiers = card.volumeTiers[market]?.[category] ?? [];
  let reached: { number: number; rate: string } | null = null;
  tiers.forEach((tier, i) => {
    if (tier.from <= nth) reached = { number: i + 1, rate: tier.rate };
  });
  return reached;
}

/** The newest card in effect on the delivery date (UTC). */
function cardOn(table: PriceTable, deliveredAt: Date): Card | undefined {
  const day = deliveredAt.toISOString().slice(0, 10);
  return [...table.whatsapp]
    .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom))
    .find((c) => c.effectiveFrom <= day);
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
