import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';

/**
 * A query for the official ClickHouse plugin (grafana-clickhouse-datasource, v4) in SQL-editor
 * mode. The foundation SDK ships query types for core datasources only, so this mirrors the
 * plugin's own `CHSqlQuery` (src/types/sql.ts): `editorType`, `rawSql`, `format`, `queryType`.
 */
export const CLICKHOUSE_PLUGIN_ID = 'grafana-clickhouse-datasource';
/** The plugin version the generated queries were written against (its pluginVersion field). */
export const CLICKHOUSE_PLUGIN_VERSION = '4.20.0';

/** How the plugin's backend (sqlds) shapes the result: sqlds FormatQueryOption. */
export const QueryFormat = { timeSeries: 0, table: 1, logs: 2, traces: 3 } as const;
export type QueryFormatName = keyof typeof QueryFormat;

export type ClickHouseQueryType = 'table' | 'timeseries' | 'logs' | 'traces';

export interface ClickHouseQuery {
  refId?: string;
  hide?: boolean;
  datasource?: DataSourceRef;
  editorType: 'sql';
  rawSql: string;
  format: (typeof QueryFormat)[QueryFormatName];
  queryType: ClickHouseQueryType;
  pluginVersion: string;
  /** Grafana alerting reads these two from the model; dashboards ignore them. */
  intervalMs?: number;
  maxDataPoints?: number;
  _implementsDataqueryVariant(): void;
}

const QUERY_TYPE_FOR_FORMAT: Record<QueryFormatName, ClickHouseQueryType> = {
  timeSeries: 'timeseries',
  table: 'table',
  logs: 'logs',
  traces: 'traces',
};

export class ClickHouseQueryBuilder implements Builder<Dataquery> {
  private readonly internal: ClickHouseQuery;

  constructor(rawSql: string, format: QueryFormatName = 'table') {
    this.internal = {
      editorType: 'sql',
      rawSql: normalizeSql(rawSql),
      format: QueryFormat[format],
      queryType: QUERY_TYPE_FOR_FORMAT[format],
      pluginVersion: CLICKHOUSE_PLUGIN_VERSION,
      _implementsDataqueryVariant() {},
    };
  }

  build(): ClickHouseQuery {
    return this.internal;
  }

  refId(refId: string): this {
    this.internal.refId = refId;
    return this;
  }

  hide(hide: boolean): this {
    this.internal.hide = hide;
    return this;
  }

  datasource(datasource: DataSourceRef): this {
    this.internal.datasource = datasource;
    return this;
  }

  intervalMs(intervalMs: number): this {
    this.internal.intervalMs = intervalMs;
    return this;
  }

  maxDataPoints(maxDataPoints: number): this {
    this.internal.maxDataPoints = maxDataPoints;
    return this;
  }
}

/**
 * Queries are written as indented template literals; strip the common indentation and the
 * blank edges so the generated JSON reads like hand-written SQL in Grafana's editor.
 */
export function normalizeSql(sql: string): string {
  const lines = sql.replace(/\t/g, '  ').split('\n');
  while (lines.length > 0 && lines[0]!.trim() === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  const indent = Math.min(
    ...lines.filter((line) => line.trim() !== '').map((line) => line.length - line.trimStart().length),
  );
  return lines.map((line) => line.slice(Number.isFinite(indent) ? indent : 0).trimEnd()).join('\n');
}
