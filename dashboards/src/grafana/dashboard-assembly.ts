import {
  AnnotationQueryBuilder,
  DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DashboardLinkType,
  RowBuilder,
  type Dashboard,
  type Panel,
  type RowPanel,
  type VariableModel,
} from '@grafana/grafana-foundation-sdk/dashboard';
import type { Builder } from '@grafana/grafana-foundation-sdk/cog';
import { DEFAULT_SETTINGS } from '../settings.js';
import { dashboardVariables, type VariableOptions } from './variables.js';

export const SWITCHBOARD_TAG = 'switchboard';

export interface Section {
  /** A row header; none for the first block of a dashboard. */
  title?: string;
  /** Panels in reading order; each line of the grid must add up to 24 columns. */
  panels: Builder<Panel>[];
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  sections: Section[];
  /** Variables beyond the shared ones (e.g. the daily budget on the cost dashboard). */
  extraVariables?: Builder<VariableModel>[];
}

/**
 * Every Switchboard dashboard: the shared filters, the last 7 days, links to its siblings that
 * carry the filters and the time range along, panel ids numbered in reading order.
 */
export function assembleDashboard(spec: DashboardSpec, options: VariableOptions = {}): Dashboard {
  const builder = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags([SWITCHBOARD_TAG])
    .time({ from: 'now-7d', to: 'now' })
    // The clock the axes and the picker's "Today" / "This week" use: the account's zone, so a
    // day bucket starts at 00:00 on screen (the Time zone variable moves the buckets only).
    .timezone(dashboardClock(options.timeZone ?? DEFAULT_SETTINGS.timeZone))
    .refresh('5m')
    .tooltip(DashboardCursorSync.Crosshair)
    .readonly()
    .variables([...dashboardVariables(options), ...(spec.extraVariables ?? [])])
    // Grafana's own "Annotations & Alerts" entry, written out: provisioned files are not migrated
    // by the UI, and alert state changes then show on the time series.
    .annotation(
      new AnnotationQueryBuilder()
        .name('Annotations & Alerts')
        .datasource({ type: 'grafana', uid: '-- Grafana --' })
        .enable(true)
        .hide(true)
        .iconColor('rgba(0, 211, 255, 1)')
        .type('dashboard')
        .builtIn(1),
    )
    .link(
      new DashboardLinkBuilder('Switchboard')
        .type(DashboardLinkType.Dashboards)
        .tags([SWITCHBOARD_TAG])
        .asDropdown(false)
        .includeVars(true)
        .keepTime(true),
    );
  for (const section of spec.sections) {
    if (section.title) builder.withRow(new RowBuilder(section.title));
    for (const panel of section.panels) builder.withPanel(panel);
  }
  const dashboard = builder.build();
  numberPanels(dashboard.panels ?? []);
  return dashboard;
}

/** Grafana's name for UTC is 'utc'; other zones go by their IANA name. */
function dashboardClock(zone: string): string {
  return zone === 'UTC' || zone === 'Etc/UTC' ? 'utc' : zone;
}

/** Unique ids in reading order, so regenerating gives the same JSON and links stay stable. */
function numberPanels(panels: (Panel | RowPanel)[]): void {
  let next = 1;
  for (const panel of panels) {
    panel.id = next++;
    if (panel.type === 'row') for (const inner of (panel as RowPanel).panels) inner.id = next++;
  }
}
