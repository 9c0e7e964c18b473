import { describe, expect, it } from 'vitest';
import { detectIntent } from '../assistant/offline/intents.js';
import { detectHumanRequest } from './human-request.js';

/** The phrases that hand off, per language: the engine's rule and the offline assistant's are one. */
const HANDS_OFF: Array<[string, string]> = [
  ['I want to talk to a human', 'en'],
  ['Can I speak with an agent please?', 'en'],
  ['Can I talk to a person please?', 'en'],
  ['I want a human', 'en'],
  ['get me a real person', 'en'],
  ['Human please', 'en'],
  ['customer service', 'en'],
  ['Quero falar com um atendente!', 'pt'],
  ['preciso falar com uma pessoa', 'pt'],
  ['preciso falar com alguém', 'pt'],
  ['Quero atendimento humano', 'pt'],
  ['Atendente!', 'pt'],
  ['Quiero hablar con un asesor', 'es'],
  ['¿Puedo hablar con una persona?', 'es'],
  ['quiero hablar con un humano', 'es'],
  ['humano', 'es'],
  ['Ich möchte mit einem Mitarbeiter sprechen', 'de'],
  ['Kann ich bitte einen Menschen sprechen?', 'de'],
  ['Mitarbeiter bitte', 'de'],
  ['Je voudrais parler à un conseiller', 'fr'],
  ["Puis-je parler à quelqu'un ?", 'fr'],
  ['un conseiller svp', 'fr'],
  ['Vorrei parlare con un operatore', 'it'],
];

const DOES_NOT: string[] = [
  'How much is the annual plan?',
  'Quanto custa?',
  'the human body has 206 bones',
  'Is this helmet suitable for a human head of 60 cm?',
  '¿La garantía cubre a la persona que compró la bici de segunda mano?',
  'Does the warranty cover batteries if an agent of yours installed them?',
  'Wie lange dauert eine Inspektion für mein Rad?',
  'Hi, when do you open on Saturday?',
];

describe('detectHumanRequest: which phrases hand off', () => {
  it.each(HANDS_OFF)('"%s" hands off (%s)', (text, language) => {
    expect(detectHumanRequest(text, [], true)).toMatchObject({ reason: 'customer_request', language });
  });

  it.each(DOES_NOT)('"%s" does not hand off', (text) => {
    expect(detectHumanRequest(text, [], true)).toBeNull();
  });

  it('the offline assistant asks the same rule: every phrase that hands off is its human intent', () => {
    for (const [text] of HANDS_OFF) expect(detectIntent(text)?.intent, text).toBe('human');
    for (const text of DOES_NOT) expect(detectIntent(text)?.intent, text).not.toBe('human');
  });

  it('honours configured keywords (accents and case ignored, whole words) and the builtin switch', () => {
    expect(detectHumanRequest('Quero CANCELAR meu plano', ['cancelar'], false)).toEqual({
      reason: 'keyword',
      matched: 'cancelar',
      language: null,
    });
    expect(detectHumanRequest('complaints department', ['complaint'], false)).toBeNull();
    expect(detectHumanRequest('talk to a human', [], false)).toBeNull();
  });
});
