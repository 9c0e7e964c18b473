import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { spendLedgerInsert } from '../assistant/budget/spend-ledger.js';
import { insertPlannedParts, markPartSent } from './reply-parts.js';

/** Marking a part sent writes its fee with it, in one statement, and only for a part that exists. */
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const fee = (turnId: string) => (whenSent: Parameters<typeof spendLedgerInsert>[1]) =>
  spendLedgerInsert(
    {
      assistant: 'a',
      accountId: 1,
      conversationId: 7,
      turnId,
      kind: 'whatsapp',
      costUsd: '0.0220',
      priceVersion: 'v1',
      occurredAt: new Date('2026-12-03T12:00:00Z'),
    },
    whenSent,
  );

describe('markPartSent', () => {
  it("commits the part's fee into the spend ledger in the same statement, and none for a part that is not there", async () => {
    const turnId = '00000000-0000-4000-8000-00000000000a';
    await insertPlannedParts(db.pool, { turnId, accountId: 1, conversationId: 7 }, [
      { kind: 'text', request: { content: 'hello', private: false } },
    ] as never);
    await markPartSent(db.pool, turnId, 0, 501, new Date(), [fee(turnId)]);
    await markPartSent(db.pool, turnId, 9, 502, new Date(), [fee(turnId)]); // no such part
    const parts = await db.pool.query(`SELECT part, state, message_id::int FROM engine_outgoing`);
    expect(parts.rows).toEqual([{ part: 0, state: 'sent', message_id: 501 }]);
    const spent = await db.pool.query(
      `SELECT turn_id, kind, cost_usd::text, price_version, conversation_id::int FROM assistant_spend_ledger`,
    );
    expect(spent.rows).toEqual([
      {
        turn_id: turnId,
        kind: 'whatsapp',
        cost_usd: '0.022000000000',
        price_version: 'v1',
        conversation_id: 7,
      },
    ]);
  });
});
