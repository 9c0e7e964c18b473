import { describe, expect, it } from 'vitest';
import { customerFieldSchema } from '@switchboard/core/config/tools';
import { parseLocalDate } from './parse-local-date.js';
import { countryFor, validateField } from './validate-field.js';

const field = (type: string, extra: Record<string, unknown> = {}) =>
  customerFieldSchema.parse({ key: 'f', type, description: 'd', ...extra });
const now = new Date('2026-03-01T12:00:00Z');

describe('phone numbers → E.164 in the customer’s country', () => {
  it.each([
    ['030 901820', 'DE', '+4930901820'],
    ['+49 30 901820', undefined, '+4930901820'],
    ['0049 30 901820', 'DE', '+4930901820'],
    ['(202) 555-0125', 'US', '+12025550125'],
    ['202-555-0125', 'US', '+12025550125'],
    ['07911 123456', 'GB', '+447911123456'],
    ['+44 7911 123456', 'DE', '+447911123456'],
    ['612 345 678', 'ES', '+34612345678'],
    ['11 91234-5678', 'BR', '+5511912345678'],
  ])('%s (%s) → %s', (input, country, expected) => {
    expect(validateField(field('phone'), input, { country: country as never, locale: 'en', now })).toEqual({
      ok: true,
      value: expected,
    });
  });

  it.each([
    ['030 90', 'DE'],
    ['12345', 'US'],
    ['+1 202 555 01', undefined],
    ['call me maybe', 'DE'],
    ['07911 123456', undefined],
    ['+99 123 456 789', undefined],
  ])('%s (%s) is rejected', (input, country) => {
    const result = validateField(field('phone'), input, { country: country as never, locale: 'en', now });
    expect(result.ok).toBe(false);
  });

  it('takes the country from the WhatsApp number, else from the locale', () => {
    // +44 7700 900… matches no single +44 country's ranges: still a UK customer, never the
    // assistant's locale (this was BR for a pt-BR assistant, which rejected "07911 123456").
    expect(countryFor('+447700900123', 'pt-BR')).toBe('GB');
    expect(countryFor('+15550001000', 'de-DE')).toBe('US');
    expect(countryFor('+442079460123', 'de')).toBe('GB');
    expect(countryFor('4930901820', 'en')).toBe('DE');
    expect(countryFor(null, 'pt-BR')).toBe('BR');
    expect(countryFor(null, 'en')).toBeUndefined();
  });
});

describe('e-mail syntax', () => {
  it.each([
    ['anna@example.com', 'anna@example.com'],
    ['  Anna.Schmidt+shop@Example.CO.UK ', 'Anna.Schmidt+shop@example.co.uk'],
    ["o'brien@mail.ie", "o'brien@mail.ie"],
    ['x@sub-domain.example.museum', 'x@sub-domain.example.museum'],
  ])('%s is accepted as %s', (input, expected) => {
    expect(validateField(field('email'), input, { country: undefined, locale: 'en', now })).toEqual({
      ok: true,
      value: expected,
    });
  });

  it.each([
    'anna',
    'anna@',
    '@example.com',
    'anna@example',
    'anna@@example.com',
    'an na@example.com',
    'anna@example..com',
    'anna..b@example.com',
    'anna@-example.com',
    'anna@example.c',
  ])('%s is rejected', (input) => {
    expect(validateField(field('email'), input, { country: undefined, locale: 'en', now }).ok).toBe(false);
  });
});

describe('dates in the customer’s locale', () => {
  it.each([
    ['03/04/2026', 'en-GB', '2026-04-03'],
    ['03/04/2026', 'en-US', '2026-03-04'],
    ['3.4.2026', 'de-DE', '2026-04-03'],
    ['2026-04-03', 'en-US', '2026-04-03'],
    ['2026/04/03', 'en-GB', '2026-04-03'],
    ['03/04/85', 'en-GB', '1985-04-03'],
    ['03/04/30', 'en-GB', '2030-04-03'],
  ])('%s in %s → %s', (input, locale, expected) => {
    expect(parseLocalDate(input, locale, now)).toBe(expected);
  });

  it.each([
    ['31/02/2026', 'en-GB'],
    ['13/13/2026', 'en-GB'],
    ['02/31/2026', 'en-US'],
    ['tomorrow', 'en'],
    ['1/2', 'en-GB'],
  ])('%s in %s is rejected', (input, locale) => {
    expect(parseLocalDate(input, locale, now)).toBeNull();
  });
});

describe('names, enums and patterns', () => {
  it('accepts letters and normalises spaces; rejects digits', () => {
    expect(
      validateField(field('name'), ' José  María O’Neil-Søren ', { country: undefined, locale: 'en', now }),
    ).toEqual({ ok: true, value: 'José María O’Neil-Søren' });
    expect(validateField(field('name'), 'R2D2', { country: undefined, locale: 'en', now }).ok).toBe(false);
  });
  it('matches enums case-insensitively to the declared option', () => {
    const plan = field('enum', { options: ['Basic', 'Premium'] });
    expect(validateField(plan, 'premium', { country: undefined, locale: 'en', now })).toEqual({
      ok: true,
      value: 'Premium',
    });
    expect(validateField(plan, 'gold', { country: undefined, locale: 'en', now })).toEqual({
      ok: false,
      problem: 'it must be one of: Basic, Premium',
    });
  });
  it('anchors patterns to the whole value', () => {
    const zip = field('text', { pattern: '\\d{5}' });
    expect(validateField(zip, '10115', { country: undefined, locale: 'en', now }).ok).toBe(true);
    expect(validateField(zip, '10115x', { country: undefined, locale: 'en', now }).ok).toBe(false);
  });
});

describe("national numbers in the customer's own country, whatever the assistant's locale", () => {
  // [WhatsApp number of the customer, the national number they type, E.164]
  it.each([
    ['+447700900123', '07911 123456', '+447911123456'],
    ['+12025550125', '(415) 555-2671', '+14155552671'],
    ['+4915112345678', '030 901820', '+4930901820'],
    ['+5511987654321', '(21) 98765-4321', '+5521987654321'],
    ['+34612345678', '699 123 456', '+34699123456'],
    ['+33612345678', '06 12 34 56 78', '+33612345678'],
    ['+393471234567', '347 765 4321', '+393477654321'],
    ['+351912345678', '961 234 567', '+351961234567'],
    ['+5215512345678', '55 1234 5678', '+525512345678'],
    ['+919876543210', '098765 43210', '+919876543210'],
    ['+31612345678', '06 87654321', '+31687654321'],
  ])('customer %s types %s → %s (assistant pt-BR)', (whatsapp, typed, expected) => {
    const country = countryFor(whatsapp, 'pt-BR');
    expect(validateField(field('phone'), typed, { country, locale: 'pt-BR', now })).toEqual({
      ok: true,
      value: expected,
    });
  });
});
