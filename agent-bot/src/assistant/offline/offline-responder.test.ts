import { describe, expect, it } from 'vitest';
import type { KnowledgeSearch } from '../../tools/knowledge-search/knowledge-search.js';
import { assistantConfig, buildTurn } from '../testing/build-turn.js';
import { answerOffline } from './offline-responder.js';

// Paths that never reach retrieval, or where retrieval fails; retrieval itself is tested
// against kb-ingest in create-assistant-responder.pg.test.ts.
const unreachable: KnowledgeSearch = async () => {
  throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
};
const deps = { db: { pool: {} as never }, knowledgeSearch: unreachable };

describe('answerOffline', () => {
  it('hands off (reason other) when the knowledge base cannot be searched', async () => {
    const assistant = assistantConfig({ knowledgeBases: ['shop'] });
    const reply = await answerOffline(buildTurn('How much is a service?').turn, assistant, deps);
    expect(reply.messages).toEqual([]);
    expect(reply.handoff).toMatchObject({
      reason: 'other',
      summary: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('hands off with low_confidence when the assistant has no knowledge base', async () => {
    const reply = await answerOffline(buildTurn('How much is a service?').turn, assistantConfig(), deps);
    expect(reply.handoff).toMatchObject({
      reason: 'low_confidence',
      customerMessage: expect.stringMatching(/could not find/),
    });
  });

  it("uses the policy's keywords, customer message and routing", async () => {
    const assistant = assistantConfig({
      conversation: {
        handoff: { keywords: ['reclamação'], customerMessage: 'Um colega já responde.', teamId: 3 },
      },
    });
    const reply = await answerOffline(buildTurn('Quero fazer uma reclamação').turn, assistant, deps);
    expect(reply).toEqual({
      messages: [],
      handoff: {
        reason: 'keyword',
        summary: expect.any(String),
        customerMessage: 'Um colega já responde.',
        teamId: 3,
      },
    });
  });

  it('greets in the customer’s language, naming the assistant', async () => {
    const reply = await answerOffline(buildTurn('Olá, boa tarde!').turn, assistantConfig(), deps);
    expect(reply.messages).toEqual([
      { kind: 'text', text: expect.stringMatching(/^Olá! Sou o assistente automático de Riverside Bikes/) },
    ]);
  });
});
