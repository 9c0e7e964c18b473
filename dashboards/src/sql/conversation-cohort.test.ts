import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClickHouse, type TestClickHouse } from '@switchboard/core/testing';
import { seedDataSet } from '../testing/seed-data-set.js';
import { COHORT_COLUMNS, conversationCohort } from './conversation-cohort.js';

let ch: TestClickHouse;

beforeAll(async () => {
  ch = await createTestClickHouse();
  await seedDataSet(ch);
});

afterAll(async () => {
  await ch?.drop();
});

async function rows(from: string, columns: string[]) {
  const result = await ch.client.query({
    query: `SELECT ${columns.join(', ')} FROM ${from} ORDER BY account_id, conversation_id`,
    format: 'JSONEachRow',
  });
  return result.json();
}

describe('the narrow conversation merge', () => {
  // If the analytics view changes a definition, this fails before a dashboard disagrees with it.
  it('gives exactly what conversations_summary gives, column by column', async () => {
    const columns = [
      'account_id',
      'conversation_id',
      'started_at',
      'channel',
      'assistant',
      'customer_phone',
      ...COHORT_COLUMNS,
    ];
    const narrow = await rows(conversationCohort(COHORT_COLUMNS), columns);
    expect(narrow).toHaveLength(5);
    expect(narrow).toEqual(await rows('conversations_summary', columns));
  });
});
