import type { CustomerFieldConfig } from '@switchboard/core';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { parseLocalDate } from './parse-local-date.js';

/**
 * Checks and normalises one value the customer gave. An invalid value yields a short problem
 * the model turns into a question ("that number seems to be missing a digit, could you ...").
 */
export type FieldResult = { ok: true; value: string } | { ok: false; problem: string };

export interface ValidationContext {
  /** ISO 3166 country for phone numbers written without +country code. */
  country: CountryCode | undefined;
  /** BCP 47 locale for dates (en-GB: day first, en-US: month first). */
  locale: string;
  now: Date;
}

// Deliberately practical rather than RFC 5322 complete: one @, no spaces, a dotted domain
// with a 2+ letter TLD. Quoted local parts and IP literals are not things customers type.
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
const NAME = /^[\p{L}\p{M}][\p{L}\p{M}'’ .-]*$/u;

export function validateField(
  field: CustomerFieldConfig,
  raw: string,
  context: ValidationContext,
): FieldResult {
  const value = raw.trim();
  if (value === '') return { ok: false, problem: 'it is empty' };
  if (value.length > field.maxLength)
    return { ok: false, problem: `it is longer than ${field.maxLength} characters` };
  switch (field.type) {
    case 'name':
      return NAME.test(value)
        ? { ok: true, value: value.replace(/\s+/g, ' ') }
        : { ok: false, problem: 'a name should contain letters only' };
    case 'email': {
      if (
        !EMAIL.test(value) ||
        value.includes('..') ||
        value.split('@')[0]!.length > 64 ||
        value.length > 254
      ) {
        return { ok: false, problem: 'that is not a valid e-mail address' };
      }
      const [local, domain] = value.split('@') as [string, string];
      return { ok: true, value: `${local}@${domain.toLowerCase()}` };
    }
    case 'phone': {
      const phone = parsePhoneNumberFromString(
        value,
        context.country ? { defaultCountry: context.country } : undefined,
      );
      if (!phone) {
        return {
          ok: false,
          problem: context.country
            ? 'that is not a phone number'
            : 'please include the country code (e.g. +44 ...)',
        };
      }
      if (!phone.isValid())
        return { ok: false, problem: 'that phone number is not valid (a digit missing or too many?)' };
      return { ok: true, value: phone.number };
    }
    case 'date': {
      const date = parseLocalDate(value, context.locale, context.now);
      return date ? { ok: true, value: date } : { ok: false, problem: 'that is not a valid date' };
    }
    case 'enum': {
      const option = field.options?.find((o) => o.toLowerCase() === value.toLowerCase());
      return option
        ? { ok: true, value: option }
        : { ok: false, problem: `it must be one of: ${(field.options ?? []).join(', ')}` };
    }
    case 'text': {
      if (field.pattern && !new RegExp(`^(?:${field.pattern})$`, 'u').test(value)) {
        return { ok: false, problem: 'it does not have the expected format' };
      }
      return { ok: true, value };
    }
  }
}

/**
 * The customer's country from their WhatsApp number, else from the assistant's locale (de-AT →
 * AT). A number of a calling code several countries share (+44: GB, GG, IM, JE; +1) that matches
 * none of their ranges exactly (+44 7700 900…) still names the code's main country: falling
 * back to the assistant's locale would read the customer's "07911 123456" as a Brazilian number
 * for a pt-BR assistant.
 */
export function countryFor(customerPhone: string | null, locale: string): CountryCode | undefined {
  if (customerPhone) {
    const parsed = parsePhoneNumberFromString(
      customerPhone.startsWith('+') ? customerPhone : `+${customerPhone}`,
    );
    const country = parsed?.country ?? parsed?.getPossibleCountries()[0];
    if (country) return country;
  }
  const region = /[-_]([A-Za-z]{2})$/.exec(locale)?.[1];
  return region ? (region.toUpperCase() as CountryCode) : undefined;
}
