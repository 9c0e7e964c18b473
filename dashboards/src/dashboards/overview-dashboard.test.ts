import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClickHouse, type TestClickHouse } from '@switchboard/core/testing';
import type { VariableValues } from '../testing/grafana-interpolation.js';
import { PanelRunner } from '../testing/panel-runner.js';
import { DAY_MS, RANGE, seedDataSet } from '../testing/seed-data-set.js';
import { allVariables } from '../testing/variable-scenarios.js';
import { overviewDashboard } from './overview-dashboard.js';

let ch: TestClickHouse;
let panels: PanelRunner;

beforeAll(async () => {
  ch = await createTestClickHouse();
  await seedDataSet(ch);
  panels = new PanelRunner(ch, overviewDashboard());
});

afterAll(async () => {
  await ch?.drop();
});

const PREVIOUS = '2026-10-26 00:00:00';
const CURRENT = '2026-11-02 00:00:00';
const daily = (variables = allVariables()) => ({ ...RANGE, intervalMs: DAY_MS, variables });

/** A trend stat's two points, keyed by period start. */
async function trend(title: string, variables: VariableValues = allVariables()) {
  const rows = await panels.rows<{ time: string; value: number | null }>(title, daily(variables));
  return Object.fromEntries(rows.map((row) => [row.time.replace('T', ' ').slice(0, 19), row.value]));
}

describe('overview dashboard on the seeded data set', () => {
  it('the five headline stats, for the range and the previous period', async () => {
    expect(await trend('Conversations')).toEqual({ [PREVIOUS]: 1, [CURRENT]: 4 });
    expect(await trend('Messages per conversation')).toEqual({ [PREVIOUS]: 2, [CURRENT]: 3.25 });
    const responseRate = await trend('Response rate');
    expect(responseRate[CURRENT]).toBeCloseTo(6 / 7, 12);
    expect(responseRate[PREVIOUS]).toBe(1);
    expect(await trend('Average response time')).toEqual({ [PREVIOUS]: 3, [CURRENT]: 3.2 });
    const cost = await trend('Cost per conversation');
    expect(cost[CURRENT]).toBeCloseTo(0.0145, 12);
    expect(cost[PREVIOUS]).toBeCloseTo(0.004, 12);
  });

  it('an empty range shows zero for counts and no value for averages, never the previous period', async () => {
    const nextWeek = allVariables();
    const run = {
      from: new Date('2026-11-09T00:00:00Z'),
      to: new Date('2026-11-16T00:00:00Z'),
      intervalMs: DAY_MS,
    };
    const points = async (title: string) =>
      (await panels.rows<{ time: string; value: number | null }>(title, { ...run, variables: nextWeek })).map(
        (row) => [row.time.slice(0, 10), row.value],
      );
    expect(await points('Conversations')).toEqual([
      ['2026-11-02', 4],
      ['2026-11-09', 0],
    ]);
    expect(await points('Average response time')).toEqual([
      ['2026-11-02', 3.2],
      ['2026-11-09', null],
    ]);
    expect(await points('Cost per conversation')).toEqual([
      ['2026-11-02', 0.0145],
      ['2026-11-09', null],
    ]);
  });

  it('filters: a channel, an assistant, an account, a phone fragment', async () => {
    const only = (overrides: VariableValues) => trend('Conversations', allVariables(overrides));
    expect(await only({ channel: { value: ['web'] } })).toEqual({ [PREVIOUS]: 0, [CURRENT]: 1 });
    expect(await only({ assistant: { value: ['sales'] } })).toEqual({ [PREVIOUS]: 1, [CURRENT]: 3 });
    expect(await only({ account: { value: ['2'] } })).toEqual({ [PREVIOUS]: 0, [CURRENT]: 1 });
    expect(await only({ account: { value: ['1', '2'] }, channel: { value: ['whatsapp', 'web'] } })).toEqual({
      [PREVIOUS]: 1,
      [CURRENT]: 4,
    });
    // Digits only: "+55 (11) 98765" finds +5511987654321 and nothing else.
    expect(await only({ phone: { value: '+55 (11) 98765' } })).toEqual({ [PREVIOUS]: 0, [CURRENT]: 1 });
    // Whatever a person types stays inside the string literal: quotes and SQL are just text.
    expect(await only({ phone: { value: "x') OR ('a'='a" } })).toEqual({ [PREVIOUS]: 1, [CURRENT]: 4 });
    expect(await only({ phone: { value: "9876') AND ('a'='b" } })).toEqual({ [PREVIOUS]: 0, [CURRENT]: 1 });
    // Filters combine: sales on web is nobody.
    expect(await only({ assistant: { value: ['sales'] }, channel: { value: ['web'] } })).toEqual({
      [PREVIOUS]: 0,
      [CURRENT]: 0,
    });
  });

  it('volumes by channel per day', async () => {
    expect(await panels.rows('Conversations started, by channel', daily())).toEqual([
      { time: '2026-11-03T00:00:00Z', channel: 'whatsapp', conversations: 1 },
      { time: '2026-11-04T00:00:00Z', channel: 'whatsapp', conversations: 1 },
      { time: '2026-11-05T00:00:00Z', channel: 'web', conversations: 1 },
      { time: '2026-11-06T00:00:00Z', channel: 'whatsapp', conversations: 1 },
    ]);
    const messages = await panels.rows<{ time: string; channel: string; messages: number }>(
      'Messages, by channel',
      daily(),
    );
    expect(messages.map((row) => [row.time.slice(0, 10), row.channel, row.messages])).toEqual([
      ['2026-11-03', 'whatsapp', 3],
      ['2026-11-04', 'whatsapp', 4],
      ['2026-11-05', 'web', 4],
      ['2026-11-06', 'whatsapp', 2],
    ]);
  });

  it('handoff rate and AI resolution rate', async () => {
    expect(await trend('Handoff rate')).toEqual({ [PREVIOUS]: 0, [CURRENT]: 0.5 });
    expect(await trend('AI resolution rate')).toEqual({ [PREVIOUS]: 0, [CURRENT]: 0.5 });
    expect(await panels.rows('Handoff and AI resolution rate', daily())).toEqual([
      { time: '2026-11-03T00:00:00Z', handoff_rate: 0, ai_resolution_rate: 1 },
      { time: '2026-11-04T00:00:00Z', handoff_rate: 1, ai_resolution_rate: 0 },
      { time: '2026-11-05T00:00:00Z', handoff_rate: 0, ai_resolution_rate: 1 },
      { time: '2026-11-06T00:00:00Z', handoff_rate: 1, ai_resolution_rate: 0 },
    ]);
  });

  it('ran every panel of the dashboard', () => {
    expect(panels.notRun()).toEqual([]);
  });
});
