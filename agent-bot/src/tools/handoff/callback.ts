import { findPhoneNumbersInText, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { parseOffsetDateTime } from '../../scheduling/zoned-time.js';
import { countryFor, validateField } from '../customer-data/validate-field.js';

/**
 * The third escalation (after transfer to an agent): a call back. The number is validated the
 * way collect_customer_data validates a phone field, with the customer's own country as the
 * default region, so "07911 123456" from a +44 customer is +447911123456.
 */
export type CallbackCheck = { ok: true; number: string } | { ok: false; problem: string };

const PHONE_FIELD = {
  key: 'callback_number',
  type: 'phone',
  description: 'Callback number',
  maxLength: 40,
} as const;

export function validateCallbackNumber(
  raw: string,
  customerPhone: string | null,
  assistantLanguage: string,
  now: Date,
): CallbackCheck {
  const country = countryFor(customerPhone, assistantLanguage);
  const result = validateField(PHONE_FIELD as never, raw, { country, locale: assistantLanguage, now });
  return result.ok ? { ok: true, number: result.value } : { ok: false, problem: result.problem };
}

/** The first valid phone number written in the customer's messages (newest first), E.164. */
export function findCallbackNumber(
  texts: readonly string[],
  customerPhone: string | null,
  assistantLanguage: string,
): string | null {
  const country: CountryCode | undefined = countryFor(customerPhone, assistantLanguage);
  for (const text of [...texts].reverse()) {
    const [found] = findPhoneNumbersInText(text, country ? { defaultCountry: country } : undefined);
    if (found) return found.number.number;
  }
  return null;
}

/** A requested call-back time: ISO with offset, in the future, within `maxDaysAhead`. */
export function validateCallbackTime(
  raw: string,
  now: Date,
  maxDaysAhead: number,
): { ok: true; at: Date } | { ok: false; problem: string } {
  const at = parseOffsetDateTime(raw);
  if (!at) return { ok: false, problem: 'the time must be an ISO date-time with offset' };
  if (at.getTime() < now.getTime() + 60_000) return { ok: false, problem: 'the time must be in the future' };
  if (at.getTime() > now.getTime() + maxDaysAhead * 24 * 60 * 60_000) {
    return { ok: false, problem: `the time must be within ${maxDaysAhead} days` };
  }
  return { ok: true, at };
}

/** "+44 7911 123456" for people (the note, the customer's confirmation); the contact keeps E.164. */
export function displayNumber(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}
