import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import type { Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as BarChartBuilder } from '@grafana/grafana-foundation-sdk/barchart';
import { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TableBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeSeriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import {
  BigValueGraphMode,
  PercentChangeColorMode,
  StackingMode,
  type ReduceDataOptions,
  type StackingConfig,
} from '@grafana/grafana-foundation-sdk/common';
import { ClickHouseQueryBuilder, type QueryFormatName } from './clickhouse-query.js';
import { DASHBOARD_DATASOURCE } from './datasource.js';

/** Builder<T> for a value the SDK wants wrapped in a builder. */
export function literal<T>(value: T): Builder<T> {
  return { build: () => value };
}

export interface PanelSpec {
  title: string;
  description: string;
  sql: string;
  /** Grid width (of 24) and height. */
  w: number;
  h: number;
  unit?: string;
  decimals?: number;
}

/** What every panel builder of the SDK offers; the shared part of each panel is set here once. */
interface CommonPanel {
  title(title: string): this;
  description(description: string): this;
  datasource(datasource: typeof DASHBOARD_DATASOURCE): this;
  withTarget(target: Builder<Dataquery>): this;
  span(w: number): this;
  height(h: number): this;
  unit(unit: string): this;
  decimals(decimals: number): this;
}

function common<T extends CommonPanel>(panel: T, spec: PanelSpec, format: QueryFormatName): T {
  panel
    .title(spec.title)
    .description(spec.description)
    .datasource(DASHBOARD_DATASOURCE)
    .withTarget(new ClickHouseQueryBuilder(spec.sql, format).refId('A').datasource(DASHBOARD_DATASOURCE))
    .span(spec.w)
    .height(spec.h);
  if (spec.unit) panel.unit(spec.unit);
  if (spec.decimals !== undefined) panel.decimals(spec.decimals);
  return panel;
}

/**
 * A headline number with its trend: the SQL returns two rows, (start of the previous period of
 * equal length, value) and (start of the chosen range, value); the stat shows the last one and
 * Grafana's percent change from the first. `higherIsBetter: false` paints increases red.
 */
export function trendStat(spec: PanelSpec & { higherIsBetter?: boolean }): StatBuilder {
  return (
    common(new StatBuilder(), spec, 'timeSeries')
      .graphMode(BigValueGraphMode.None)
      .showPercentChange(true)
      .percentChangeColorMode(
        spec.higherIsBetter === false ? PercentChangeColorMode.Inverted : PercentChangeColorMode.Standard,
      )
      // `last`, not `lastNotNull`: an empty range is NULL (shown as —) and must not show the
      // previous period's value as the current one.
      .reduceOptions(literal<ReduceDataOptions>({ calcs: ['last'], fields: '/^value$/', values: false }))
      .noValue('—')
  );
}

/** A single number over the chosen range (table format, one row). */
export function stat(spec: PanelSpec): StatBuilder {
  return common(new StatBuilder(), spec, 'table')
    .graphMode(BigValueGraphMode.None)
    .reduceOptions(literal<ReduceDataOptions>({ calcs: ['lastNotNull'], values: false }));
}

/**
 * A time series: the SQL returns `time`, optionally a string column (one series per value,
 * the plugin turns long into wide), and numbers. `interval` is the smallest bucket Grafana may
 * pick, so a 90-day range does not ask for minute buckets.
 */
export function timeSeries(spec: PanelSpec & { stacked?: boolean; interval?: string }): TimeSeriesBuilder {
  const panel = common(new TimeSeriesBuilder(), spec, 'timeSeries')
    .interval(spec.interval ?? '1h')
    .fillOpacity(spec.stacked ? 40 : 10);
  if (spec.stacked) panel.stacking(literal<StackingConfig>({ mode: StackingMode.Normal, group: 'A' }));
  return panel;
}

/** Categories as horizontal bars: the SQL returns a string column then numbers. */
export function barChart(spec: PanelSpec & { stacked?: boolean }): BarChartBuilder {
  const panel = common(new BarChartBuilder(), spec, 'table');
  if (spec.stacked) panel.stacking(StackingMode.Normal);
  return panel;
}

export interface ColumnLink {
  column: string;
  title: string;
  url: string;
}

/**
 * A table; Inspect → Data → Download CSV exports exactly these rows. `links` turns a column's
 * cells into links (Grafana data-link syntax: ${__value.raw}, ${__data.fields.name}).
 */
export function table(
  spec: PanelSpec & { links?: ColumnLink[]; units?: Record<string, string> },
): TableBuilder {
  const panel = common(new TableBuilder(), spec, 'table').filterable(true);
  for (const link of spec.links ?? []) {
    panel.overrideByName(link.column, [
      { id: 'links', value: [{ title: link.title, url: link.url, targetBlank: true }] },
    ]);
  }
  for (const [column, unit] of Object.entries(spec.units ?? {})) {
    panel.overrideByName(column, [{ id: 'unit', value: unit }]);
  }
  return panel;
}

export type AnyPanelBuilder = Builder<Panel>;
