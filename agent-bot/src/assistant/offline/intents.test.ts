import { describe, expect, it } from 'vitest';
import { detectLanguage } from './detect-language.js';
import { detectIntent } from './intents.js';
import { shortenForWhatsApp } from './shorten-for-whatsapp.js';

describe('detectIntent', () => {
  it.each([
    ['I want a human', 'en'],
    ['Can I talk to a person please?', 'en'],
    ['quiero hablar con un humano', 'es'],
    ['¿Puedo hablar con una persona?', 'es'],
    ['Quero falar com um atendente', 'pt'],
    ['preciso falar com alguém', 'pt'],
    ['Ich möchte mit einem Mitarbeiter sprechen', 'de'],
    ['Kann ich bitte einen Menschen sprechen?', 'de'],
    ['Je voudrais parler à un conseiller', 'fr'],
    ["Puis-je parler à quelqu'un ?", 'fr'],
  ])('"%s" asks for a human (%s)', (text, language) => {
    expect(detectIntent(text)).toEqual({ intent: 'human', language });
  });

  it.each([
    ['Hi!', 'greeting', 'en'],
    ['hello there', 'greeting', 'en'],
    ['Hola, buenas tardes', 'greeting', 'es'],
    ['Olá, bom dia!', 'greeting', 'pt'],
    ['Guten Tag', 'greeting', 'de'],
    ['Bonjour', 'greeting', 'fr'],
    ['Thanks a lot!', 'thanks', 'en'],
    ['muchas gracias', 'thanks', 'es'],
    ['Obrigada', 'thanks', 'pt'],
    ['Vielen Dank!', 'thanks', 'de'],
    ['merci beaucoup', 'thanks', 'fr'],
  ])('"%s" is %s (%s)', (text, intent, language) => {
    expect(detectIntent(text)).toEqual({ intent, language });
  });

  it.each([
    ['Human please', 'en'],
    ['humano', 'es'],
    ['Atendente!', 'pt'],
    ['Mitarbeiter bitte', 'de'],
    ['un conseiller svp', 'fr'],
  ])('a short "%s" asks for a human (%s)', (text, language) => {
    expect(detectIntent(text)).toEqual({ intent: 'human', language });
  });

  it('does not hand off when the word is part of a longer question', () => {
    expect(detectIntent('Is this helmet suitable for a human head of 60 cm?')).toBeNull();
    expect(detectIntent('¿La garantía cubre a la persona que compró la bici de segunda mano?')).toBeNull();
    expect(detectIntent('Does the warranty cover batteries if an agent of yours installed them?')).toBeNull();
  });

  it('treats a greeting with a question as a question', () => {
    expect(detectIntent('Hi, when do you open on Saturday?')).toBeNull();
    expect(detectIntent('Hola, ¿cuánto cuesta una revisión?')).toBeNull();
    expect(detectIntent('How much is a service?')).toBeNull();
  });

  it("honours the operator's extra handoff keywords", () => {
    expect(detectIntent('I need to file a COMPLAINT', ['complaint'])).toEqual({
      intent: 'human',
      language: null,
    });
    expect(detectIntent('complaints department', ['complaint'])).toBeNull();
  });
});

describe('detectLanguage', () => {
  it('picks the reply language from common words, else the fallback', () => {
    expect(detectLanguage('¿Cuándo abren los sábados?', 'en')).toBe('es');
    expect(detectLanguage('Quando vocês abrem no sábado?', 'en')).toBe('pt');
    expect(detectLanguage('Wann habt ihr geöffnet?', 'en')).toBe('de');
    expect(detectLanguage('Quand est-ce que vous êtes ouvert ?', 'en')).toBe('fr');
    expect(detectLanguage('When are you open?', 'es')).toBe('en');
    expect(detectLanguage('🚲', 'pt')).toBe('pt');
  });
});

describe('shortenForWhatsApp', () => {
  it('drops markdown headings and tables and keeps short text whole', () => {
    const text =
      '## Opening hours\n\n| Day | Hours |\n|---|---|\n| Mon | 9-18 |\n\nWe are open **Monday to Saturday**.';
    expect(shortenForWhatsApp(text)).toBe('Opening hours\n\nWe are open *Monday to Saturday*.');
  });

  it('cuts a long passage at a sentence boundary', () => {
    const sentence =
      'A standard service takes one working day and includes brakes, gears and a safety check. ';
    const short = shortenForWhatsApp(sentence.repeat(20), 300);
    expect(short.length).toBeLessThanOrEqual(302);
    expect(short.endsWith('check. …')).toBe(true);
  });
});
