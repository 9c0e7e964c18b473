import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClickHouse, type TestClickHouse } from '@switchboard/core/testing';
import { toInsertRow } from '@switchboard/events';
import { computeMetrics, exportRows, filtersSchema } from '@switchboard/analytics';
import { REFRESH_ALL_DERIVED_TABLES } from '@switchboard/analytics/metric-definitions';
import { DEFAULT_SETTINGS } from '../settings.js';
import { alertDefinitions } from '../alerts/alert-rules.js';
import { evaluateAlert } from '../testing/alert-evaluation.js';
import { dashboardPanels, panelSql } from '../testing/panel-runner.js';
import { runGrafanaQuery } from '../testing/run-grafana-query.js';
import { DAY_MS, RANGE, seedDataSet, seedEvents } from '../testing/seed-data-set.js';
import { allVariables } from '../testing/variable-scenarios.js';
import { allDashboards } from './all-dashboards.js';

/**
 * Issue 19: a batch stored twice (a second shipper, a rebuilt batch, a deduplication window
 * passed) must change no number anywhere: every panel of every dashboard, every alert, the
 * metrics API (with a series) and both exports, before ClickHouse merges the parts and after.
 */
let ch: TestClickHouse;
const events = seedEvents();

beforeAll(async () => {
  ch = await createTestClickHouse();
  await seedDataSet(ch, events);
});
afterAll(async () => {
  await ch?.drop();
});

const panels = allDashboards(DEFAULT_SETTINGS).flatMap((d) =>
  dashboardPanels(d).map((p) => ({ key: `${d.title} / ${p.title}`, sql: panelSql(p) })),
);
const alerts = alertDefinitions(DEFAULT_SETTINGS);

async function everyNumber(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const account of [['1'], ['2'], ['$__all']]) {
    const run = { ...RANGE, intervalMs: DAY_MS, variables: allVariables({ account: { value: account } }) };
    for (const panel of panels)
      out[`${account[0]}: ${panel.key}`] = await runGrafanaQuery(ch, panel.sql, run);
  }
  for (const alert of alerts)
    out[`alert ${alert.uid}`] = await evaluateAlert(ch, alert, new Date('2026-11-06T20:00:00Z'));
  const filters = filtersSchema.parse({ from: '2026-11-02', to: '2026-11-09' });
  for (const account of [1, 2]) {
    out[`api ${account}`] = await computeMetrics(ch, account, filters, 'day');
    for (const kind of ['conversations', 'messages'] as const) {
      const rows = [];
      for await (const page of exportRows(ch, kind, account, filters)) rows.push(...page);
      out[`export ${kind} ${account}`] = rows;
    }
  }
  return out;
}

async function rowCount(table: string): Promise<number> {
  const [row] = await (
    await ch.client.query({ query: `SELECT count() AS n FROM ${table}`, format: 'JSONEachRow' })
  ).json<{ n: string }>();
  return Number(row!.n);
}

describe('a batch inserted twice under different deduplication tokens', () => {
  it('changes no panel, alert, API number or export row, before and after merges', async () => {
    const before = await everyNumber();
    expect(Object.keys(before).length).toBeGreaterThan(panels.length * 3);
    const stored = await rowCount('events');

    // The same rows again, whole and then a third of them, each under its own token (as a
    // second shipper or a rebuilt batch would), then the totals refresh the shipper runs.
    for (const [token, rows] of [
      ['second-shipper', events],
      ['rebuilt-batch', events.filter((_, i) => i % 3 === 0)],
    ] as const) {
      await ch.client.insert({
        table: 'events',
        values: rows.map(toInsertRow),
        format: 'JSONEachRow',
        clickhouse_settings: { insert_deduplication_token: token },
      });
      for (const query of REFRESH_ALL_DERIVED_TABLES) await ch.client.command({ query });
    }
    // The duplicates are really there, unmerged.
    expect(await rowCount('events')).toBe(stored + events.length + Math.ceil(events.length / 3));
    expect(await everyNumber()).toEqual(before);

    for (const table of ['events', 'conversation_events', 'conversation_totals'])
      await ch.client.command({ query: `OPTIMIZE TABLE ${table} FINAL` });
    expect(await rowCount('events')).toBe(stored);
    expect(await everyNumber()).toEqual(before);
  });
});
