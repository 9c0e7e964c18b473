import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClickHouse, type TestClickHouse } from '@switchboard/core/testing';
import { PanelRunner } from '../testing/panel-runner.js';
import { DAY_MS, RANGE, seedDataSet } from '../testing/seed-data-set.js';
import { allVariables } from '../testing/variable-scenarios.js';
import { latencyDashboard } from './latency-dashboard.js';

let ch: TestClickHouse;
let panels: PanelRunner;

beforeAll(async () => {
  ch = await createTestClickHouse();
  await seedDataSet(ch);
  panels = new PanelRunner(ch, latencyDashboard());
});

afterAll(async () => {
  await ch?.drop();
});

const daily = (variables = allVariables()) => ({ ...RANGE, intervalMs: DAY_MS, variables });
const values = (rows: Record<string, unknown>[]) =>
  rows.map((row) => Object.values(row).map((v) => (typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v)));

describe('latency and reliability dashboard on the seeded data set', () => {
  it('headline stats with the previous period', async () => {
    // Replied turns 1000, 2000, 3000, 4000, 6000 ms: p95 (exact, inclusive) = 4000 + 0.8 × 2000.
    expect(values(await panels.rows('p95 response time', daily()))).toEqual([
      ['2026-10-26T00:00:00Z', 3],
      ['2026-11-02T00:00:00Z', 5.6],
    ]);
    // 6 model calls in range, one (anthropic) timed out.
    expect(values(await panels.rows('Provider error rate', daily()))).toEqual([
      ['2026-10-26T00:00:00Z', 0],
      ['2026-11-02T00:00:00Z', 0.166666667],
    ]);
    expect(values(await panels.rows('Timeouts', daily()))).toEqual([
      ['2026-10-26T00:00:00Z', 0],
      ['2026-11-02T00:00:00Z', 1],
    ]);
    expect(values(await panels.rows('Delivery failures', daily()))).toEqual([
      ['2026-10-26T00:00:00Z', 0],
      ['2026-11-02T00:00:00Z', 1],
    ]);
    // Only the web assistant: its two replies, 1000 and 3000 ms.
    const web = await panels.rows('p95 response time', daily(allVariables({ channel: { value: ['web'] } })));
    expect(values(web)).toEqual([
      ['2026-10-26T00:00:00Z', null],
      ['2026-11-02T00:00:00Z', 2.9],
    ]);
  });

  it('response time percentiles and queue delay per day', async () => {
    expect(values(await panels.rows('Response time percentiles', daily()))).toEqual([
      ['2026-11-03T00:00:00Z', 2, 2, 2],
      ['2026-11-04T00:00:00Z', 4, 4, 4],
      ['2026-11-05T00:00:00Z', 2, 2.9, 2.98],
      ['2026-11-06T00:00:00Z', 6, 6, 6],
    ]);
    // 11-04 has the replied turn (300 ms queued) and the handed-off one (0 ms).
    expect(values(await panels.rows('Queue delay', daily()))).toEqual([
      ['2026-11-03T00:00:00Z', 0.1, 0.1, 0],
      ['2026-11-04T00:00:00Z', 0.15, 0.285, 0],
      ['2026-11-05T00:00:00Z', 0.1, 0.145, 0],
      ['2026-11-06T00:00:00Z', 0.4, 0.4, 0],
    ]);
  });

  it('providers, failures and fallbacks', async () => {
    expect(values(await panels.rows('Failed model calls, by provider', daily()))).toEqual([
      ['2026-11-03T00:00:00Z', 'openai', 0],
      ['2026-11-04T00:00:00Z', 'anthropic', 1],
      ['2026-11-04T00:00:00Z', 'openai', 0],
      ['2026-11-05T00:00:00Z', 'openai', 0],
      ['2026-11-06T00:00:00Z', 'openai', 0],
    ]);
    expect(values(await panels.rows('Providers and models', daily()))).toEqual([
      ['openai', 'gpt-4.1-mini', 5, 0, 0, 0, 1, 0, 1500],
      ['anthropic', 'claude-sonnet-4', 1, 1, 1, 0, 0, 1, 30000],
    ]);
  });

  it('delivery failures by error', async () => {
    expect(values(await panels.rows('Delivery failures, by error', daily()))).toEqual([
      ['131047: Re-engagement message', 1, 1, '2026-11-05T13:00:01.000Z'],
    ]);
  });

  it('ran every panel of the dashboard', () => {
    expect(panels.notRun()).toEqual([]);
  });
});
