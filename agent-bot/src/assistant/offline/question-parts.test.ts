import { describe, expect, it } from 'vitest';
import { questionParts } from './question-parts.js';

describe('questionParts', () => {
  it.each([
    [
      'Also do you sell e-bike batteries? for a Bosch motor and can you collect my bike?',
      ['do you sell e-bike batteries for a Bosch motor', 'can you collect my bike'],
    ],
    [
      'What are your opening hours on Saturday and how much is a basic service?',
      ['What are your opening hours on Saturday', 'how much is a basic service'],
    ],
    [
      'Can I return accessories, and is there a warranty on the frame?',
      ['Can I return accessories', 'is there a warranty on the frame'],
    ],
    ['Do you deliver? Can I pay with Google Pay?', ['Do you deliver', 'Can I pay with Google Pay']],
    [
      'Are gears and brakes adjusted in a basic service?',
      ['Are gears and brakes adjusted in a basic service'],
    ],
    ['How much is a puncture repair', ['How much is a puncture repair']],
    ['', []],
  ])('%j', (message, parts) => {
    expect(questionParts(message)).toEqual(parts);
  });

  it('asks at most four questions, the rest together', () => {
    expect(questionParts('Do you deliver? Do you repair? Do you sell? Do you rent? Do you lend?')).toEqual([
      'Do you deliver',
      'Do you repair',
      'Do you sell',
      'Do you rent Do you lend',
    ]);
  });
});
