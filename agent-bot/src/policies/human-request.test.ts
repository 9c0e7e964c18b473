import { describe, expect, it } from 'vitest';
import { detectHumanRequest } from './human-request.js';

describe('detectHumanRequest', () => {
  it.each([
    'I want to talk to a human',
    'Can I speak with an agent please?',
    'Quero falar com um atendente!',
    'preciso falar com uma pessoa',
    'Quiero hablar con un asesor',
    'Je voudrais parler à un conseiller',
    'Ich möchte mit einem Mitarbeiter sprechen',
    'Vorrei parlare con un operatore',
  ])('hands off on %s', (text) => {
    expect(detectHumanRequest(text, [], true)?.reason).toBe('customer_request');
  });

  it.each(['How much is the annual plan?', 'Quanto custa?', 'the human body has 206 bones'])(
    'does not hand off on %s',
    (text) => {
      expect(detectHumanRequest(text, [], true)).toBeNull();
    },
  );

  it('honours configured keywords (accents and case ignored) and the builtin switch', () => {
    expect(detectHumanRequest('Quero CANCELAR meu plano', ['cancelar'], false)).toEqual({
      reason: 'keyword',
      matched: 'cancelar',
    });
    expect(detectHumanRequest('talk to a human', [], false)).toBeNull();
  });
});
