import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { pruneDeliveryRecords } from './delivery-retention.js';

/** Delivery ids and rejected deliveries do not pile up forever (they did: nothing deleted them). */
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});
beforeEach(async () => {
  await db.pool.query('TRUNCATE engine_webhook_deliveries, engine_rejected_deliveries');
});

async function ids(table: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ id: string }>(`SELECT delivery_id AS id FROM ${table} ORDER BY 1`);
  return rows.map((row) => row.id);
}

describe('pruneDeliveryRecords', () => {
  it('deletes delivery ids past 72 h and rejected deliveries past 30 days, in chunks, and keeps the rest', async () => {
    for (const [id, age] of [
      ['old-1', '73 hours'],
      ['old-2', '10 days'],
      ['old-3', '80 hours'],
      ['recent', '71 hours'],
      ['new', '1 second'],
    ] as const) {
      await db.pool.query(
        `INSERT INTO engine_webhook_deliveries (delivery_id, account_id, event, received_at)
         VALUES ($1, 1, 'message_created', now() - $2::interval)`,
        [id, age],
      );
      await db.pool.query(
        `INSERT INTO engine_rejected_deliveries (delivery_id, account_id, event, reason, payload, received_at)
         VALUES ($1, 1, 'message_created', 'missing id', '{}', now() - $2::interval * 10)`,
        [id, age],
      );
    }
    // Chunks of 2: the loop must go on until a short chunk, not stop after the first.
    const pruned = await pruneDeliveryRecords(db.pool, { deliveriesHours: 72, rejectedDays: 30 }, 2);
    expect(pruned).toEqual({ deliveries: 3, rejected: 3 });
    expect(await ids('engine_webhook_deliveries')).toEqual(['new', 'recent']);
    // Rejected ones ten times as old: 730 h, 100 days and 800 h are past 30 days (720 h); 710 h is not.
    expect(await ids('engine_rejected_deliveries')).toEqual(['new', 'recent']);
    expect(await pruneDeliveryRecords(db.pool)).toEqual({ deliveries: 0, rejected: 0 });
  });
});
