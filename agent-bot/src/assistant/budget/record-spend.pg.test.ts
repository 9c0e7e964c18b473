import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBudget } from '../../policies/budget.js';
import { assistantConfig } from '../testing/build-turn.js';
import { recordMediaSpend, recordSpend } from './record-spend.js';
import { SpendLedger } from './spend-ledger.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.drop());

describe('budgets count model, media and WhatsApp spend', () => {
  it('exhausts the conversation budget with a fee and a transcript on top of the model (hand-computed)', async () => {
    const owner = { assistant: 'shop', accountId: 1, conversationId: 7 };
    const at = new Date('2026-12-03T10:00:00Z');
    const ledger = new SpendLedger(db.pool);
    await ledger.record({
      ...owner,
      turnId: 't1',
      kind: 'model',
      costUsd: '0.0277',
      priceVersion: 'x',
      occurredAt: at,
    });
    const shop = assistantConfig({
      model: { provider: 'openai', model: 'gpt-4o-mini', apiKey: 'k' },
      budget: { perConversationUsd: '0.05', whenExhausted: 'handoff' },
    });
    const turn = {
      ...owner,
      inboxId: 1,
      channel: 'whatsapp' as const,
      now: at,
      customer: { contactId: 1, phone: '+447911123456' },
    };
    // Model alone: 0.0277 < 0.05.
    expect(await checkBudget(ledger, shop, turn)).toBeNull();
    await recordMediaSpend(
      db.pool,
      owner,
      't1',
      [
        {
          type: 'transcription',
          costUsd: '0.000332',
          costKind: 'transcription',
          payload: {
            messageId: 1,
            provider: 'openai',
            model: 'm',
            durationSeconds: 5,
            latencyMs: 1,
            outcome: 'ok',
            priceVersion: 'v',
          },
        } as never,
        // Not media: recorded by the model chain itself, never twice.
        { type: 'model_call', costUsd: '1.00', costKind: 'model', payload: {} } as never,
      ],
      at,
    );
    // A free message writes nothing.
    await recordSpend(db.pool, owner, 't1', 'whatsapp', '0', 'v', at);
    // Service reply to +44 on 2026-12-03: 0.0220 (GB utility rate).
    await recordSpend(db.pool, owner, 't1', 'whatsapp', '0.0220', 'v', at);
    // 0.0277 + 0.000332 + 0.0220 = 0.050032 ≥ 0.05.
    expect(await checkBudget(ledger, shop, turn)).toEqual({
      scope: 'conversation',
      limitUsd: '0.05',
      spentUsd: '0.050032',
      action: 'handoff',
    });
    const rows = await db.pool.query<{ kind: string; n: number }>(
      `SELECT kind, count(*)::int AS n FROM assistant_spend_ledger GROUP BY kind ORDER BY kind`,
    );
    expect(rows.rows).toEqual([
      { kind: 'model', n: 1 },
      { kind: 'transcription', n: 1 },
      { kind: 'whatsapp', n: 1 },
    ]);
  });
});
