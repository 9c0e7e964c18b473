import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClickHouse, type TestClickHouse } from '@switchboard/core/testing';
import { analyticsEventSchema, toInsertRow, type AnalyticsEvent } from '@switchboard/events';
import { insertEventLines } from '../shipper/shipper.js';
import {
  envelope,
  knowledgeSearchEvent,
  messageEvent,
  modelCallEvent,
  turnEvent,
} from '../testing/event-factory.js';
import { computeMetrics } from './compute-metrics.js';
import { buildFilter, CUSTOMER_CONVERSATIONS, filtersSchema } from './filters.js';
import { storedResponseEvents, storedResponseEventsOf } from './definitions/index.js';

/**
 * The `customer` (phone) filter first narrows to the conversations the number appears in
 * (conversation_phones, migration 0006), then keeps the exact condition on the rows. It must
 * select exactly the rows the condition alone selects, also when a conversation's number changed
 * part-way, for rows outside any conversation, and with every row stored twice.
 */
let ch: TestClickHouse;
const at = (h: number) => `2026-11-02T${String(h).padStart(2, '0')}:00:00.000Z`;

function events(): AnalyticsEvent[] {
  const uk = '+447700900123';
  const br = '+5511987654321';
  const list: AnalyticsEvent[] = [];
  // 301: the contact's number was edited part-way (BR → UK): only the later rows match "4477".
  list.push(messageEvent('customer', { conversationId: 301, customerPhone: br, occurredAt: at(1) }));
  list.push(turnEvent({ conversationId: 301, customerPhone: br, occurredAt: at(2), latencyMs: 1000 }));
  list.push(messageEvent('customer', { conversationId: 301, customerPhone: uk, occurredAt: at(3) }));
  list.push(turnEvent({ conversationId: 301, customerPhone: uk, occurredAt: at(4), latencyMs: 3000 }));
  list.push(modelCallEvent({ conversationId: 301, customerPhone: uk, occurredAt: at(4), costUsd: '0.001' }));
  list.push(
    knowledgeSearchEvent('miss', 'Ship to Cork?', {
      conversationId: 301,
      customerPhone: uk,
      occurredAt: at(4),
    }),
  );
  // 302: the other number throughout.
  list.push(messageEvent('customer', { conversationId: 302, customerPhone: br, occurredAt: at(5) }));
  list.push(turnEvent({ conversationId: 302, customerPhone: br, occurredAt: at(6), latencyMs: 2000 }));
  list.push(modelCallEvent({ conversationId: 302, customerPhone: br, occurredAt: at(6), costUsd: '0.002' }));
  // Outside any conversation, with the UK number (a template to a contact without a conversation).
  list.push(
    analyticsEventSchema.parse({
      ...envelope({
        occurredAt: at(7),
        conversationId: null,
        customerPhone: uk,
        costUsd: '0.0141',
        costKind: 'whatsapp',
      }),
      type: 'template_sent',
      payload: {
        messageId: null,
        template: 'we_miss_you',
        language: 'en',
        category: 'marketing',
        priceVersion: 't',
      },
    }),
  );
  return list;
}

async function ship(list: AnalyticsEvent[]): Promise<void> {
  await insertEventLines(
    ch.client,
    list.map((e) => JSON.stringify(toInsertRow(e))).join('\n'),
    randomUUID(),
    1000,
  );
}

const RANGE = { from: '2026-11-02T00:30:00.000Z', to: '2026-11-02T23:00:00.000Z' };

/** The rows of `table` the API's filter selects and those the exact condition alone selects. */
async function selected(table: string, timeColumn: string, customer: string): Promise<[string[], string[]]> {
  const f = buildFilter(1, filtersSchema.parse({ ...RANGE, customer }), timeColumn);
  const exact = f.conditions.filter((c) => !c.includes('conversation_phones')).join(' AND ');
  const ids = async (where: string) =>
    (
      await (
        await ch.client.query({
          query: `SELECT DISTINCT toString(${table === 'conversation_totals' ? 'conversation_id' : 'id'}) AS k
                    FROM ${table} FINAL WHERE ${where} ORDER BY k`,
          query_params: f.params,
          format: 'JSONEachRow',
        })
      ).json<{ k: string }>()
    ).map((r) => r.k);
  return [await ids(f.where), await ids(exact)];
}

beforeAll(async () => {
  ch = await createTestClickHouse();
  const list = events();
  await ship(list);
  await ship(list); // every row again, under another token
});
afterAll(async () => ch?.drop());

describe('the customer (phone) filter', () => {
  for (const customer of ['4477', '98765', '+447700900123', '000'])
    it(`selects the rows the exact condition selects, in every table: "${customer}"`, async () => {
      for (const [table, column] of [
        ['events', 'occurred_at'],
        ['response_events', 'counted_at'],
        ['conversation_totals', 'started_at'],
      ] as const) {
        const [api, exact] = await selected(table, column, customer);
        expect(api, `${table} ${customer}`).toEqual(exact);
      }
    });

  it('gives the hand-counted figures for a number changed part-way', async () => {
    const m = await computeMetrics(ch, 1, filtersSchema.parse({ ...RANGE, customer: '4477' }));
    // 301's later message and turn; the template outside any conversation; 301's search and call.
    expect(m.responses).toMatchObject({ customerMessages: 1, aiReplies: 1, avgResponseMs: 3000 });
    expect(m.knowledge).toMatchObject({ searches: 1, misses: 1 });
    expect(m.cost.byModel).toEqual([{ model: 'gpt-4.1-mini', costUsd: '0.001', calls: 1 }]);
    expect(m.reengagements?.templatesSent).toBe(1);
    expect(m.cost.accountLevelUsd).toBe('0.0141');
    const br = await computeMetrics(ch, 1, filtersSchema.parse({ ...RANGE, customer: '98765' }));
    expect(br.responses).toMatchObject({ customerMessages: 2, aiReplies: 2, avgResponseMs: 1500 });
  });

  it('reads the same response rows from the conversations as from response_events', async () => {
    const bounds = { account: '{account:Int64}', from: '{from:DateTime64(3)}', to: '{to:DateTime64(3)}' };
    for (const customer of ['4477', '98765'])
      for (const types of [
        ['message', 'turn'],
        ['template_sent', 'handoff'],
      ]) {
        const f = buildFilter(1, filtersSchema.parse({ ...RANGE, customer }), 'counted_at');
        const read = async (source: string) =>
          (
            await ch.client.query({
              query: `SELECT toString(id) AS id, type, counted_at, held, latency_ms, next_at
                        FROM ${source} WHERE ${f.where} ORDER BY id`,
              query_params: f.params,
              format: 'JSONEachRow',
            })
          ).json();
        const stored = await read(storedResponseEvents(bounds, types));
        expect(await read(storedResponseEventsOf(bounds, CUSTOMER_CONVERSATIONS, types))).toEqual(stored);
        if (types[0] === 'message') expect(stored.length).toBeGreaterThan(0);
      }
  });
});
