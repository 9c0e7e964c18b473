import { describe, expect, it } from 'vitest';
import type { KnowledgePassage } from '../../tools/knowledge-search/knowledge-search.js';
import { formatOfflineAnswer } from './format-offline-answer.js';
import { OFFLINE_WORDING } from './offline-wording.js';

const passage: KnowledgePassage = {
  text: '',
  score: 0.7,
  documentTitle: 'Riverside Bikes: frequently asked questions',
  source: 'faq.md',
  knowledgeBase: 'shop',
  chunkId: '1',
  metadata: {},
};
const delivery = ['We deliver bikes within 10 miles for £15.', 'Delivery takes two to three working days.'];

describe('formatOfflineAnswer', () => {
  it('says the sentences once when two parts are answered by the same ones', () => {
    const text = formatOfflineAnswer(
      [
        { part: 'Do you deliver bikes', sentences: delivery, passage },
        { part: 'what does delivery cost', sentences: delivery, passage },
      ],
      OFFLINE_WORDING.en,
      true,
    );
    expect(text).toBe(
      '🤖 *Automatic answer*\n\n' +
        'We deliver bikes within 10 miles for £15. Delivery takes two to three working days.\n\n' +
        'Source: Riverside Bikes: frequently asked questions (faq.md)\n' +
        'Write "human" to talk to a person.',
    );
  });

  it('keeps list items on their own lines', () => {
    const text = formatOfflineAnswer(
      [
        {
          part: 'open on Saturday',
          sentences: ['Saturday: 9:00 to 17:00', 'Sunday: closed', 'Last repairs at 16:00.'],
          passage,
        },
      ],
      OFFLINE_WORDING.en,
      true,
    );
    expect(text).toContain('\n\nSaturday: 9:00 to 17:00\nSunday: closed\nLast repairs at 16:00.\n\n');
  });
});
