import path from 'node:path';
import nock from 'nock';
import { analyticsEventSchema, type AnalyticsEvent } from '@switchboard/events';
import { REPO_ROOT, createLogger } from '@switchboard/core';
import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { createKnowledgeBase, ingestPaths, searchKnowledgeBases } from '@switchboard/kb-ingest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadFixture } from '../llm/testing/load-fixture.js';
import { createAssistantResponder } from './create-assistant-responder.js';
import { assistantConfig, buildTurn } from './testing/build-turn.js';

/**
 * Knowledge misses on the model path (issue 19): the passages retrieved for the prompt count as
 * a hit only when the model's answer used them. Real search over the sample knowledge, the real
 * OpenAI SDK against nock with the recorded response body, only its answer text changed.
 */
const logger = createLogger({ level: 'silent' });
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await createKnowledgeBase(db.pool, { accountId: 1, name: 'shop' });
  await ingestPaths(db.pool, {
    accountId: 1,
    kb: 'shop',
    paths: ['faq.md', 'opening-hours.md', 'repairs.md'].map((f) =>
      path.join(REPO_ROOT, 'config', 'sample-knowledge', f),
    ),
  });
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(async () => {
  nock.enableNetConnect();
  await db?.drop();
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

const shop = assistantConfig({
  knowledgeBases: ['shop'],
  knowledge: { passages: 3 },
  tools: ['handoff_to_human'],
  model: { provider: 'openai', model: 'gpt-4o-mini', apiKey: 'sk-test-key' },
});

function answering(content: string): Record<string, unknown> {
  const body = loadFixture('openai', 'openai-text.json') as {
    choices: Array<{ message: { content: string } }>;
  };
  body.choices[0]!.message.content = content;
  return body;
}

async function searchOutcome(question: string, answer: string): Promise<string | undefined> {
  nock('https://api.openai.com').post('/v1/chat/completions').reply(200, answering(answer));
  const { turn, events } = buildTurn(question);
  const responder = createAssistantResponder({
    config: { assistants: { shop } },
    db,
    logger,
    knowledgeSearch: searchKnowledgeBases,
    sleep: async () => undefined,
  });
  await responder.respond(turn);
  const searches = (events as unknown[])
    .map((e) => analyticsEventSchema.parse(e) as AnalyticsEvent)
    .filter((e) => e.type === 'knowledge_search');
  expect(searches).toHaveLength(1);
  return searches[0]!.type === 'knowledge_search' ? searches[0]!.payload.outcome : undefined;
}

describe('knowledge_search outcome on the model path', () => {
  it('is a hit when the answer states what the passages say', async () => {
    expect(
      await searchOutcome(
        'Can you collect my bike?',
        'Yes, we collect and return bikes within 5 miles for £20.',
      ),
    ).toBe('hit');
  });

  it('is a miss when passages came back but the answer did not use them', async () => {
    expect(
      await searchOutcome(
        'Do you sell e-bike batteries for a Bosch motor?',
        'I am sorry, I cannot tell whether we have that in stock. Shall I ask a colleague?',
      ),
    ).toBe('miss');
  });
});
