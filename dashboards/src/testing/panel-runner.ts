import type { ClickHouse } from '@switchboard/core';
import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';
import type { ClickHouseQuery } from '../grafana/clickhouse-query.js';
import { runGrafanaQuery, type QueryRun } from './run-grafana-query.js';

/** Every non-row panel of a dashboard, rows' children included. */
export function dashboardPanels(dashboard: Dashboard): Panel[] {
  return (dashboard.panels ?? []).flatMap((panel) =>
    panel.type === 'row' ? (panel as RowPanel).panels : [panel as Panel],
  );
}

export function panelSql(panel: Panel): string {
  const target = panel.targets?.[0] as ClickHouseQuery | undefined;
  if (!target?.rawSql) throw new Error(`panel "${panel.title}" has no ClickHouse SQL`);
  return target.rawSql;
}

/**
 * Runs a dashboard's panels by title, taking the SQL from the built dashboard (what the JSON
 * holds, not a copy), and remembers which panels were run so a test can insist on all of them.
 */
export class PanelRunner {
  private readonly panels = new Map<string, Panel>();
  private readonly run = new Set<string>();

  constructor(
    private readonly ch: ClickHouse,
    dashboard: Dashboard,
  ) {
    for (const panel of dashboardPanels(dashboard)) {
      if (this.panels.has(panel.title!)) throw new Error(`two panels titled "${panel.title}"`);
      this.panels.set(panel.title!, panel);
    }
  }

  async rows<T = Record<string, unknown>>(title: string, run: QueryRun): Promise<T[]> {
    const panel = this.panels.get(title);
    if (!panel) throw new Error(`no panel titled "${title}"`);
    this.run.add(title);
    return runGrafanaQuery<T>(this.ch, panelSql(panel), run);
  }

  notRun(): string[] {
    return [...this.panels.keys()].filter((title) => !this.run.has(title));
  }
}
