import { describe, expect, it } from 'vitest';
import type { KnowledgePassage } from '../../tools/knowledge-search/knowledge-search.js';
import { expandQuery } from './answer-terms.js';
import { answerPart } from './compose-answer.js';

const passage = (text: string, score: number, embedder = 'offline'): KnowledgePassage => ({
  text,
  score,
  documentTitle: 'Repairs and servicing',
  source: 'repairs.md',
  knowledgeBase: 'shop',
  chunkId: text.slice(0, 8),
  metadata: {},
  embedder,
});
const collection =
  'Repairs and servicing > Can you collect my bike?\nYes, we collect and return bikes within 5 miles\nfor £20 (both ways).';
const testRides =
  'FAQ > Do you offer test rides?\nYes, every bike on the shop floor can be test-ridden for up to 30 minutes.\nE-bike test rides are best booked in advance so that a charged battery is ready.';

describe('answerPart', () => {
  it('answers with the sentences of the passage that has the question’s words, not the best-scored one', () => {
    const answer = answerPart('can you pick up my bike from my house', [
      passage(testRides, 0.66),
      passage(collection, 0.62),
    ]);
    expect(answer.sentences).toEqual([
      'Yes, we collect and return bikes within 5 miles for £20 (both ways).',
    ]);
    expect(answer.passage?.source).toBe('repairs.md');
  });

  it('answers nothing when the passages share only the common words of the question', () => {
    expect(
      answerPart('do you sell e-bike batteries', [passage(testRides, 0.69), passage(collection, 0.6)]),
    ).toEqual({
      part: 'do you sell e-bike batteries',
      sentences: [],
      passage: null,
    });
  });

  it('applies the minimums of the passage’s embedder', () => {
    // The same passage and score: enough for text-embedding-3 (lower cosines), not offline.
    expect(answerPart('can you collect my bike', [passage(collection, 0.15)]).sentences).toEqual([]);
    expect(
      answerPart('can you collect my bike', [passage(collection, 0.31, 'openai')]).sentences,
    ).toHaveLength(1);
    expect(answerPart('can you collect my bike', [passage(collection, 0.31, 'gemini')]).sentences).toEqual(
      [],
    );
  });
});

describe('answerPart on a list', () => {
  const hours =
    'Opening hours and contact > When are you open?\n- Monday to Friday: 9:00 to 18:00\n- Saturday: 9:00 to 17:00\n- Sunday: closed\n- Public holidays: closed\n\nThe workshop takes the last repairs of the day at 17:00 (16:00 on Saturdays).';

  it('gives a short list under a heading that asks the question whole, not only its items with the question’s words', () => {
    // Once answered "Sunday: closed / Public holidays: closed": "closed" paraphrases "open", the
    // weekday hours have none of the question's words, and a customer read the shop as shut.
    const answer = answerPart('What are your opening hours?', [passage(hours, 0.7)]);
    expect(answer.sentences.slice(0, 4)).toEqual([
      'Monday to Friday: 9:00 to 18:00',
      'Saturday: 9:00 to 17:00',
      'Sunday: closed',
      'Public holidays: closed',
    ]);
  });
});

describe('answerPart on a question of function words only', () => {
  it('answers "Where are you?" with the address', () => {
    // Once handed off as "low confidence": none of its words is a content word.
    const where =
      'Opening hours and contact > Where are you?\n14 Canal Street, Bristol BS1 4QX. Bicycle parking in front of the shop; the nearest car park is\nCanal Street multi-storey, two minutes away.';
    const answer = answerPart('Where are you?', [passage(where, 0.5)]);
    expect(answer.sentences[0]).toContain('14 Canal Street, Bristol BS1 4QX');
  });

  it('searches for the address words too (the search found nothing for the bare question)', () => {
    expect(expandQuery('Where are you?')).toBe('Where are you? street address');
  });
});
