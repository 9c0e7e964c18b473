import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClickHouse, type TestClickHouse } from '@switchboard/core/testing';
import { insertEvents } from '../testing/seed-dataset.js';
import { messageEvent } from '../testing/event-factory.js';
import { computeMetrics } from './compute-metrics.js';
import { bucketStarts, filtersSchema } from './filters.js';

/**
 * Buckets in the account's time zone (issue 19): a message at 23:30 UTC on a summer Sunday is
 * Monday 00:30 in London and Sunday 20:30 in São Paulo; the day and the week it counts in follow.
 */
describe('bucket starts in a time zone', () => {
  it('are local midnights, across a daylight-saving change (London, 25 Oct 2026)', () => {
    const days = bucketStarts(
      'day',
      new Date('2026-10-24T12:00:00Z'),
      new Date('2026-10-27T00:00:00Z'),
      'Europe/London',
    );
    expect(days.map((d) => d.toISOString())).toEqual([
      '2026-10-23T23:00:00.000Z', // Sat 24 Oct 00:00 BST
      '2026-10-24T23:00:00.000Z', // Sun 25 Oct 00:00 BST (the day has 25 hours)
      '2026-10-26T00:00:00.000Z', // Mon 26 Oct 00:00 GMT
    ]);
    const weeks = bucketStarts(
      'week',
      new Date('2026-08-02T12:00:00Z'),
      new Date('2026-08-10T00:00:00Z'),
      'America/Sao_Paulo',
    );
    expect(weeks.map((d) => d.toISOString())).toEqual([
      '2026-07-27T03:00:00.000Z',
      '2026-08-03T03:00:00.000Z',
    ]);
    expect(
      bucketStarts('day', new Date('2026-08-02T12:00:00Z'), new Date('2026-08-04T00:00:00Z')).map((d) =>
        d.toISOString(),
      ),
    ).toEqual(['2026-08-02T00:00:00.000Z', '2026-08-03T00:00:00.000Z']);
  });
});

let ch: TestClickHouse;
beforeAll(async () => {
  ch = await createTestClickHouse();
  await insertEvents(ch, [
    messageEvent('customer', { conversationId: 500, occurredAt: '2026-08-02T23:30:00.000Z' }), // Sun UTC, Mon London
    messageEvent('customer', { conversationId: 500, occurredAt: '2026-08-03T12:00:00.000Z' }), // Mon everywhere
  ]);
});
afterAll(async () => ch?.drop());

describe('/api/metrics series by the account’s day and week', () => {
  const range = filtersSchema.parse({ from: '2026-08-01T00:00:00Z', to: '2026-08-05T00:00:00Z' });
  const perDay = async (zone: string) =>
    ((await computeMetrics(ch, 1, range, 'day', zone)).series ?? [])
      .filter((p) => p.customerMessages > 0)
      .map((p) => [p.bucket, p.customerMessages]);

  it('counts the 23:30 UTC message on Sunday in UTC and São Paulo, on Monday in London', async () => {
    expect(await perDay('UTC')).toEqual([
      ['2026-08-02T00:00:00.000Z', 1],
      ['2026-08-03T00:00:00.000Z', 1],
    ]);
    expect(await perDay('Europe/London')).toEqual([['2026-08-02T23:00:00.000Z', 2]]);
    expect(await perDay('America/Sao_Paulo')).toEqual([
      ['2026-08-02T03:00:00.000Z', 1],
      ['2026-08-03T03:00:00.000Z', 1],
    ]);
  });

  it('puts both in London’s week starting Monday 3 August, and in the week before in UTC', async () => {
    const weeks = async (zone: string) =>
      ((await computeMetrics(ch, 1, range, 'week', zone)).series ?? []).map((p) => [
        p.bucket,
        p.customerMessages,
      ]);
    expect(await weeks('Europe/London')).toEqual([
      ['2026-07-26T23:00:00.000Z', 0],
      ['2026-08-02T23:00:00.000Z', 2],
    ]);
    expect(await weeks('UTC')).toEqual([
      ['2026-07-27T00:00:00.000Z', 1],
      ['2026-08-03T00:00:00.000Z', 1],
    ]);
  });
});
