import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClickHouse, type TestClickHouse } from '@switchboard/core/testing';
import { PanelRunner } from '../testing/panel-runner.js';
import { DAY_MS, RANGE, seedDataSet } from '../testing/seed-data-set.js';
import { allVariables } from '../testing/variable-scenarios.js';
import { costDashboard } from './cost-dashboard.js';

let ch: TestClickHouse;
let panels: PanelRunner;

beforeAll(async () => {
  ch = await createTestClickHouse();
  await seedDataSet(ch);
  panels = new PanelRunner(ch, costDashboard());
});

afterAll(async () => {
  await ch?.drop();
});

const daily = (variables = allVariables()) => ({ ...RANGE, intervalMs: DAY_MS, variables });
type Row = Record<string, unknown>;
/** Rows as arrays with numbers rounded to 12 places (float sums of decimals). */
const table = (rows: Row[]) =>
  rows.map((row) => Object.values(row).map((v) => (typeof v === 'number' ? Math.round(v * 1e12) / 1e12 : v)));

describe('cost dashboard on the seeded data set', () => {
  it('total and per-conversation cost with the previous period', async () => {
    expect(table(await panels.rows('Total cost', daily()))).toEqual([
      ['2026-10-26T00:00:00Z', 0.004],
      ['2026-11-02T00:00:00Z', 0.058],
    ]);
    expect(table(await panels.rows('Cost per conversation', daily()))).toEqual([
      ['2026-10-26T00:00:00Z', 0.004],
      ['2026-11-02T00:00:00Z', 0.0145],
    ]);
  });

  it('budget burn: cumulative spend against cumulative daily budget', async () => {
    expect(table(await panels.rows('Budget burn', daily()))).toEqual([
      ['2026-11-03T00:00:00Z', 0.013, 100],
      ['2026-11-04T00:00:00Z', 0.033, 150],
      ['2026-11-05T00:00:00Z', 0.05, 200],
      ['2026-11-06T00:00:00Z', 0.058, 250],
    ]);
    // A budget typed with junk reads as 0, never as SQL.
    const junk = await panels.rows(
      'Budget burn',
      daily(allVariables({ daily_budget: { value: "1') OR (1" } })),
    );
    expect(table(junk).map((row) => row[2])).toEqual([0, 0, 0, 0]);
  });

  it('cost by kind per day, by model and by assistant', async () => {
    expect(table(await panels.rows('Cost by kind', daily()))).toEqual([
      ['2026-11-03T00:00:00Z', 'model', 0.01],
      ['2026-11-03T00:00:00Z', 'transcription', 0.003],
      ['2026-11-04T00:00:00Z', 'model', 0.02],
      ['2026-11-05T00:00:00Z', 'model', 0.01],
      ['2026-11-05T00:00:00Z', 'vision', 0.002],
      ['2026-11-05T00:00:00Z', 'whatsapp', 0.005],
      ['2026-11-06T00:00:00Z', 'model', 0.008],
    ]);
    expect(table(await panels.rows('Cost by model', daily()))).toEqual([
      ['gpt-4.1-mini', 0.048],
      ['claude-sonnet-4', 0],
    ]);
    expect(table(await panels.rows('Cost by assistant', daily()))).toEqual([
      ['sales', 0.046],
      ['support', 0.012],
    ]);
    const web = await panels.rows('Cost by assistant', daily(allVariables({ channel: { value: ['web'] } })));
    expect(table(web)).toEqual([['support', 0.012]]);
  });

  it('distribution and the most expensive conversations', async () => {
    expect(table(await panels.rows('Cost per conversation distribution', daily()))).toEqual([
      ['< 0.01', 1],
      ['0.01–0.05', 3],
    ]);
    const top = await panels.rows<Row>('Most expensive conversations', daily());
    expect(top.map((row) => [row.conversation_id, row.account_id, row.total_usd])).toEqual([
      [102, 1, 0.025],
      [101, 1, 0.013],
      [103, 1, 0.012],
      [104, 2, 0.008],
    ]);
    expect(top[0]).toMatchObject({ model_usd: 0.02, whatsapp_usd: 0.005, customer_phone: '+5511911112222' });
  });

  it('ran every panel of the dashboard', () => {
    expect(panels.notRun()).toEqual([]);
  });
});
