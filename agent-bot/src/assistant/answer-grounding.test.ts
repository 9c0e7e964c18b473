import { describe, expect, it } from 'vitest';
import type { KnowledgePassage } from '../tools/knowledge-search/knowledge-search.js';
import { answerUsesPassages } from './answer-grounding.js';

const passage = (text: string): KnowledgePassage =>
  ({ text, documentTitle: 'Repairs', source: 'repairs.md', score: 0.6 }) as KnowledgePassage;
const collection = passage('Yes, we collect and return bikes within 5 miles for £20 (both ways).');
const shop = passage(
  'Riverside Bikes is a family-run bicycle shop and repair workshop at 14 Canal Street, Bristol.',
);

describe('answerUsesPassages', () => {
  it('is true when the answer states the passage’s facts (a number, or two of its words)', () => {
    expect(
      answerUsesPassages('Yes! Collection is £20 within 5 miles.', 'can you collect my bike?', [collection]),
    ).toBe(true);
    expect(
      answerUsesPassages('We pick it up and bring it back, both ways.', 'can you collect my bike?', [
        collection,
      ]),
    ).toBe(true);
  });

  it('is false for an answer that only echoes the question, apologises or talks about something else', () => {
    expect(
      answerUsesPassages(
        'Sorry, I do not know whether we collect bikes. A colleague will help.',
        'can you collect my bike?',
        [collection],
      ),
    ).toBe(false);
    expect(
      answerUsesPassages('We sell Bosch batteries, ask in store.', 'do you sell e-bike batteries?', [shop]),
    ).toBe(false);
    expect(answerUsesPassages('', 'anything', [collection])).toBe(false);
    expect(answerUsesPassages('Collection is £20 within 5 miles.', 'collect?', [])).toBe(false);
  });
});
