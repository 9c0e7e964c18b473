import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClickHouse, type TestClickHouse } from '@switchboard/core/testing';
import { PanelRunner } from '../testing/panel-runner.js';
import { DAY_MS, RANGE, seedDataSet } from '../testing/seed-data-set.js';
import { allVariables } from '../testing/variable-scenarios.js';
import { qualityDashboard } from './quality-dashboard.js';

let ch: TestClickHouse;
let panels: PanelRunner;

beforeAll(async () => {
  ch = await createTestClickHouse();
  await seedDataSet(ch);
  panels = new PanelRunner(ch, qualityDashboard());
});

afterAll(async () => {
  await ch?.drop();
});

const daily = (variables = allVariables()) => ({ ...RANGE, intervalMs: DAY_MS, variables });
const values = (rows: Record<string, unknown>[]) => rows.map((row) => Object.values(row));

describe('quality and knowledge dashboard on the seeded data set', () => {
  it('headline stats with the previous period', async () => {
    expect(values(await panels.rows('Conversations handed off', daily()))).toEqual([
      ['2026-10-26T00:00:00Z', 0],
      ['2026-11-02T00:00:00Z', 2],
    ]);
    // 4 searches in range, 3 misses; none in the previous period: no value there, not 0 %.
    expect(values(await panels.rows('Knowledge-base miss rate', daily()))).toEqual([
      ['2026-10-26T00:00:00Z', null],
      ['2026-11-02T00:00:00Z', 0.75],
    ]);
    expect(values(await panels.rows('Tool failure rate', daily()))).toEqual([
      ['2026-10-26T00:00:00Z', null],
      ['2026-11-02T00:00:00Z', 0.5],
    ]);
  });

  it('handoff reasons, one per conversation', async () => {
    expect(values(await panels.rows('Handoff reasons', daily()))).toEqual([
      ['customer_request', 1],
      ['keyword', 1],
    ]);
    const account2 = await panels.rows('Handoff reasons', daily(allVariables({ account: { value: ['2'] } })));
    expect(values(account2)).toEqual([['keyword', 1]]);
  });

  it('knowledge-base misses grouped, and top questions', async () => {
    // "Do you deliver to Recife?" and "do you deliver to recife? " are one question.
    expect(values(await panels.rows('Knowledge-base misses', daily()))).toEqual([
      ['do you deliver to recife?', 2, 2, '2026-11-05T08:00:01.000Z'],
      ['what is the refund policy?', 1, 1, '2026-11-05T08:01:01.000Z'],
    ]);
    expect(values(await panels.rows('Top questions', daily()))).toEqual([
      ['do you deliver to recife?', 2, 0, 0],
      ['what are your opening hours?', 1, 1, 1],
      ['what is the refund policy?', 1, 0, 0],
    ]);
    const sales = await panels.rows(
      'Knowledge-base misses',
      daily(allVariables({ assistant: { value: ['sales'] } })),
    );
    expect(values(sales)).toEqual([['do you deliver to recife?', 1, 1, '2026-11-04T12:00:01.000Z']]);
  });

  it('tool calls and failures over time', async () => {
    expect(values(await panels.rows('Tool calls', daily()))).toEqual([
      ['order_status', 2, 1, 0.5, 0, 'HTTP 500', 300],
    ]);
    expect(values(await panels.rows('Tool failures over time', daily()))).toEqual([
      ['2026-11-04T00:00:00Z', 'order_status', 1],
      ['2026-11-05T00:00:00Z', 'order_status', 0],
    ]);
  });

  it('ran every panel of the dashboard', () => {
    expect(panels.notRun()).toEqual([]);
  });
});
