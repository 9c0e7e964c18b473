import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClickHouse, type TestClickHouse } from '@switchboard/core/testing';
// The metrics API's own query function: Grafana and /api/metrics must report the same numbers.
import { computeMetrics, filtersSchema } from '@switchboard/analytics';
import type { VariableValues } from '../testing/grafana-interpolation.js';
import { PanelRunner } from '../testing/panel-runner.js';
import { DAY_MS, RANGE, seedDataSet } from '../testing/seed-data-set.js';
import { allVariables } from '../testing/variable-scenarios.js';
import { costDashboard } from './cost-dashboard.js';
import { latencyDashboard } from './latency-dashboard.js';
import { overviewDashboard } from './overview-dashboard.js';
import { qualityDashboard } from './quality-dashboard.js';

let ch: TestClickHouse;
let overview: PanelRunner;
let latency: PanelRunner;
let quality: PanelRunner;
let cost: PanelRunner;

beforeAll(async () => {
  ch = await createTestClickHouse();
  await seedDataSet(ch);
  overview = new PanelRunner(ch, overviewDashboard());
  latency = new PanelRunner(ch, latencyDashboard());
  quality = new PanelRunner(ch, qualityDashboard());
  cost = new PanelRunner(ch, costDashboard());
});

afterAll(async () => {
  await ch?.drop();
});

/** The API is per account; Grafana with that account chosen must say the same. */
const api = (extra: Record<string, string> = {}) =>
  computeMetrics(ch, 1, filtersSchema.parse({ from: '2026-11-02', to: '2026-11-09', ...extra }));
const grafana = (overrides: VariableValues = {}) => ({
  ...RANGE,
  intervalMs: DAY_MS,
  variables: allVariables({ account: { value: ['1'] }, ...overrides }),
});

/** The current-range point of a trend stat. */
async function current(runner: PanelRunner, title: string, overrides: VariableValues = {}) {
  const rows = await runner.rows<{ time: string; value: number }>(title, grafana(overrides));
  return rows.find((row) => row.time.startsWith('2026-11-02'))?.value;
}

describe('Grafana panels agree with the metrics API (computeMetrics)', () => {
  it('the five headline metrics, handoff and AI resolution rates', async () => {
    const m = await api();
    expect(m.conversations.total).toBe(3);
    expect(await current(overview, 'Conversations')).toBe(m.conversations.total);
    expect(await current(overview, 'Messages per conversation')).toBeCloseTo(
      m.conversations.messagesPerConversation,
      4,
    );
    expect(await current(overview, 'Response rate')).toBeCloseTo(m.responses.responseRate, 4);
    expect((await current(overview, 'Average response time'))! * 1000).toBeCloseTo(
      m.responses.avgResponseMs!,
      6,
    );
    expect(await current(overview, 'Cost per conversation')).toBeCloseTo(
      Number(m.cost.perConversationUsd),
      11,
    );
    expect(await current(overview, 'Handoff rate')).toBeCloseTo(m.handoffs.rate, 4);
    expect(await current(overview, 'AI resolution rate')).toBeCloseTo(m.aiResolution.rate, 4);
    expect((await current(latency, 'p95 response time'))! * 1000).toBeCloseTo(m.responses.p95ResponseMs!, 6);
  });

  it('breakdowns: handoff reasons, knowledge misses, cost by model, model-call errors', async () => {
    const m = await api();
    const reasons = await quality.rows<{ reason: string; conversations: number }>(
      'Handoff reasons',
      grafana(),
    );
    expect(reasons).toEqual(m.handoffs.reasons);
    expect(await current(quality, 'Knowledge-base miss rate')).toBeCloseTo(m.knowledge.missRate, 4);
    const misses = await quality.rows<{ question: string; times: number }>(
      'Knowledge-base misses',
      grafana(),
    );
    expect(misses.map((row) => ({ query: row.question, count: row.times }))).toEqual(
      m.knowledge.topMissedQueries,
    );
    const byModel = await cost.rows<{ model: string; spent_usd: number }>('Cost by model', grafana());
    expect(byModel.map((row) => [row.model, row.spent_usd])).toEqual(
      m.cost.byModel.map((row) => [row.model, Number(row.costUsd)]),
    );
    expect(await current(latency, 'Provider error rate')).toBeCloseTo(
      m.modelCalls.errors / m.modelCalls.total,
      12,
    );
  });

  it('the same filters give the same answers: channel, assistant, phone fragment', async () => {
    for (const [query, variables] of [
      [{ channel: 'web' }, { channel: { value: ['web'] } }],
      [{ assistant: 'sales' }, { assistant: { value: ['sales'] } }],
      [{ customer: '98765' }, { phone: { value: '98765' } }],
    ] as [Record<string, string>, VariableValues][]) {
      const m = await api(query);
      expect(await current(overview, 'Conversations', variables), JSON.stringify(query)).toBe(
        m.conversations.total,
      );
      expect(await current(overview, 'Response rate', variables), JSON.stringify(query)).toBeCloseTo(
        m.responses.responseRate,
        4,
      );
    }
  });
});
