import { createTestClickHouse } from '@switchboard/core/testing';
// The analytics benchmark's generator: the same synthetic events, so both benchmarks describe
// one data set (20 events per conversation over 90 days, two accounts, three channels).
import { BENCH_DAYS, BENCH_START, clickhouseInsert } from '@switchboard/analytics/bench/generate-events';
import { alertDefinitions } from '../src/alerts/alert-rules.js';
import { allDashboards } from '../src/dashboards/all-dashboards.js';
import { DEFAULT_SETTINGS } from '../src/settings.js';
import { dashboardPanels, panelSql } from '../src/testing/panel-runner.js';
import { runGrafanaQuery, type QueryRun } from '../src/testing/run-grafana-query.js';
import { allVariables } from '../src/testing/variable-scenarios.js';

/**
 * Every panel and alert query over BENCH_EVENTS (default 1M) generated events, the way Grafana
 * would run them: the whole 90 days with every filter on "All", and one account with a phone
 * fragment (the phone filter scans strings). Prints p50/p95 of RUNS runs per query.
 */
const N = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const RUNS = 5;
const DAY_MS = 86_400_000;

async function timed(run: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await run(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(RUNS / 2)]!, p95: times[RUNS - 1]! };
}

export default async function (): Promise<void> {
  const ch = await createTestClickHouse();
  try {
    let started = performance.now();
    await ch.client.command({ query: clickhouseInsert(N) });
    console.log(
      `${N.toLocaleString('en')} events generated in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    const from = new Date(`${BENCH_START.replace(' ', 'T')}Z`);
    const range = { from, to: new Date(from.getTime() + BENCH_DAYS * DAY_MS), intervalMs: DAY_MS };
    const scenarios: [string, QueryRun][] = [
      ['all', { ...range, variables: allVariables() }],
      [
        'account+phone',
        { ...range, variables: allVariables({ account: { value: ['1'] }, phone: { value: '1190001' } }) },
      ],
    ];
    const rows: string[][] = [];
    let worst = 0;
    for (const dashboard of allDashboards(DEFAULT_SETTINGS)) {
      for (const panel of dashboardPanels(dashboard)) {
        const cells = [dashboard.uid!.replace('switchboard-', ''), panel.title!];
        for (const [, run] of scenarios) {
          const t = await timed(() => runGrafanaQuery(ch, panelSql(panel), run));
          worst = Math.max(worst, t.p95);
          cells.push(`${t.p50.toFixed(0)} / ${t.p95.toFixed(0)}`);
        }
        rows.push(cells);
      }
    }
    const now = range.to;
    for (const rule of alertDefinitions(DEFAULT_SETTINGS)) {
      const run = {
        from: new Date(now.getTime() - rule.lookbackSeconds * 1000),
        to: now,
        intervalMs: 60_000,
      };
      const t = await timed(() => runGrafanaQuery(ch, rule.sql, run));
      worst = Math.max(worst, t.p95);
      rows.push(['alert', rule.title, `${t.p50.toFixed(0)} / ${t.p95.toFixed(0)}`, '']);
    }
    started = performance.now();
    console.log(`\n| dashboard | panel | all filters: p50 / p95 ms | account + phone: p50 / p95 ms |`);
    console.log('|---|---|---|---|');
    for (const cells of rows) console.log(`| ${cells.join(' | ')} |`);
    console.log(
      `\nslowest p95: ${worst.toFixed(0)} ms (target: under 1,000 ms per panel, Grafana's default refresh is 5 min)`,
    );
  } finally {
    await ch.drop();
  }
}
