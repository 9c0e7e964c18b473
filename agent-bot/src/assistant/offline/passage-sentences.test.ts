import { describe, expect, it } from 'vitest';
import { passageSentences } from './passage-sentences.js';

describe('passageSentences', () => {
  it('takes the heading path off and joins lines wrapped in the middle of a sentence', () => {
    const read = passageSentences(
      'Riverside Bikes: frequently asked questions > How do I pay?\n' +
        'We accept cash, all major debit and credit cards, Apple Pay and Google Pay. Interest-free finance\n' +
        'over 12 months is available on bikes above £500.',
    );
    expect(read.heading).toBe('Riverside Bikes: frequently asked questions > How do I pay?');
    expect(read.section).toBe('How do I pay?');
    expect(read.sentences).toEqual([
      'We accept cash, all major debit and credit cards, Apple Pay and Google Pay.',
      'Interest-free finance over 12 months is available on bikes above £500.',
    ]);
  });

  it('keeps list items apart, with their wrapped continuation, and drops markdown', () => {
    const read = passageSentences(
      'Repairs > What does a service include?\n' +
        '- Basic service (£45): gears and brakes adjusted, tyres checked and inflated, chain cleaned,\n' +
        '  safety check.\n' +
        '- **Full service** (£95): everything in the basic service.\n\n' +
        '| Service | Price |\n|---|---|\n| E-bike | £110 |',
    );
    expect(read.sentences).toEqual([
      'Basic service (£45): gears and brakes adjusted, tyres checked and inflated, chain cleaned, safety check.',
      'Full service (£95): everything in the basic service.',
      'Service: Price',
      'E-bike: £110',
    ]);
  });

  it('keeps short label lines of a price list apart from the items under them', () => {
    const read = passageSentences(
      'Riverside Bikes - Price list 2026\nE-bikes\nVolta City (Bosch Active Line, 400 Wh): GBP 2,299\nVolta Trek (Bosch Performance CX): GBP 3,499',
      'Riverside Bikes - Price list 2026',
    );
    expect(read.heading).toBe('Riverside Bikes - Price list 2026');
    expect(read.sentences).toEqual([
      'E-bikes',
      'Volta City (Bosch Active Line, 400 Wh): GBP 2,299',
      'Volta Trek (Bosch Performance CX): GBP 3,499',
    ]);
  });

  it('leaves a one-line passage whole', () => {
    expect(passageSentences('We are open every day.').sentences).toEqual(['We are open every day.']);
  });
});
