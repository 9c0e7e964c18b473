import { describe, expect, it } from 'vitest';
import { askToTypeMessage } from '../media/ask-to-type.js';
import { BOT_WORDING, describeTeamBack } from './bot-wording.js';
import { detectCustomerLanguage } from './customer-language.js';

describe('detectCustomerLanguage', () => {
  it.each([
    [['Where is my order?'], 'pt-BR', 'en'],
    [['Cadê meu pedido?'], 'en', 'pt'],
    [['¿Dónde está mi pedido?'], 'de', 'es'],
    [['Wo ist meine Bestellung?'], 'es', 'de'],
    [['Où est ma commande ?'], 'en', 'fr'],
    [['Dov’è il mio ordine?'], 'en', 'it'],
    // No evidence: the assistant's language.
    [['ok'], 'pt-BR', 'pt'],
    [['07911 123456'], 'de-AT', 'de'],
    [[], 'es', 'es'],
    [['👍'], 'xx', 'en'],
    // The newest clear message decides; an unclear one falls back on the earlier ones.
    [['Hola, necesito ayuda', 'Actually, can we speak English?'], 'de', 'en'],
    [['Can I talk to a person about my order?', 'ok, 07911 123456'], 'pt-BR', 'en'],
  ])('%j with an assistant in %s → %s', (texts, assistant, expected) => {
    expect(detectCustomerLanguage(texts, assistant)).toBe(expected);
  });
});

describe('the request to type a voice note', () => {
  it("is in the customer's language, else the assistant's", () => {
    expect(askToTypeMessage('pt-BR', ['Hi, I sent you the details by voice'])).toBe(BOT_WORDING.en.askToType);
    expect(askToTypeMessage('pt-BR')).toBe(BOT_WORDING.pt.askToType);
    expect(askToTypeMessage('de', ['ok'])).toBe(BOT_WORDING.de.askToType);
  });
});

describe('describeTeamBack', () => {
  const now = new Date('2026-12-05T06:10:00Z'); // a Saturday
  it.each([
    ['en', '2026-12-07T09:00:00Z', '9:00 on Monday'],
    ['en', '2026-12-05T09:00:00Z', '9:00 today'],
    ['en', '2026-12-06T09:00:00Z', '9:00 tomorrow'],
    ['pt', '2026-12-07T09:00:00Z', 'segunda-feira às 9:00'],
    ['es', '2026-12-07T09:00:00Z', 'el lunes a las 9:00'],
    ['de', '2026-12-07T09:00:00Z', 'Montag 9:00 Uhr'],
  ] as const)('%s %s → %s', (language, at, expected) => {
    expect(describeTeamBack(language, new Date(at), now, 'Europe/London')).toBe(expected);
  });

  it('reads the business time zone (9:00 in São Paulo is 12:00 UTC)', () => {
    expect(describeTeamBack('en', new Date('2026-12-07T12:00:00Z'), now, 'America/Sao_Paulo')).toBe(
      '9:00 on Monday',
    );
  });

  it('contracts Spanish "a partir de el" to "a partir del"', () => {
    expect(BOT_WORDING.es.teamRepliesFrom('el lunes a las 9:00')).toBe(
      'Nuestro equipo responde a partir del lunes a las 9:00.',
    );
  });
});
