import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { replyWindow } from '../policies/reply-window.js';
import { loadPriceTable, type PriceTable } from './price-table.js';
import {
  priceWhatsAppMessage,
  type PricedWhatsAppMessage,
  type WhatsAppCategory,
} from './price-whatsapp-message.js';

export interface DeliveredMessage {
  channel: 'whatsapp' | 'web' | 'api' | 'test';
  /** The customer's number, E.164 (the contact's phone in Chatwoot). */
  customerPhone: string | null;
  /** The template's category, or 'service' for a non-template message. */
  category: WhatsAppCategory;
  lastCustomerMessageAt: Date | null;
  deliveredAt: Date;
}

export interface WhatsAppFee extends PricedWhatsAppMessage {
  country: string | null;
  windowOpen: boolean;
}

/**
 * The recipient's country from their number (libphonenumber's metadata). Meta prices by calling
 * code: a number outside every known range of +44 is still billed as the United Kingdom, so
 * such a number falls back to the calling code's main country.
 */
export function countryOfPhone(phone: string | null): string | null {
  if (!phone) return null;
  const parsed = parsePhoneNumberFromString(phone);
  if (!parsed) return null;
  return parsed.country ?? parsed.getPossibleCountries()[0] ?? null;
}

/**
 * What Meta charges for one message we delivered: null outside WhatsApp (other channels have no
 * per-message fee). The window is judged at delivery, as Meta does.
 */
export function whatsAppFee(table: PriceTable, message: DeliveredMessage): WhatsAppFee | null {
  if (message.channel !== 'whatsapp') return null;
  const country = countryOfPhone(message.customerPhone);
  // Meta's customer service window is the same 24 h the bot replies in.
  const windowOpen = replyWindow(message.lastCustomerMessageAt, message.deliveredAt).open;
  const priced = priceWhatsAppMessage(table, {
    category: message.category,
    country,
    windowOpen,
    deliveredAt: message.deliveredAt,
  });
  return { ...priced, country, windowOpen };
}

let defaultTable: PriceTable | null = null;

/** config/prices.yaml (with the operator's override), read once per process. */
export function defaultPriceTable(): PriceTable {
  defaultTable ??= loadPriceTable();
  return defaultTable;
}
