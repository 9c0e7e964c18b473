import { QueryBuilder, RuleBuilder, type Rule } from '@grafana/grafana-foundation-sdk/alerting';
import { TypeReduceBuilder, TypeThresholdBuilder } from '@grafana/grafana-foundation-sdk/expr';
import { ClickHouseQueryBuilder } from '../grafana/clickhouse-query.js';
import { ALERT_DATASOURCE, CLICKHOUSE_DATASOURCE_UID } from '../grafana/datasource.js';
import { FOLDER_TITLE, FOLDER_UID } from '../provisioning/dashboard-provider.js';
import type { DashboardSettings } from '../settings.js';
import { alertQueries } from './alert-queries.js';

export const ALERT_GROUP = 'switchboard';
const EXPRESSION_DATASOURCE = { type: '__expr__', uid: '__expr__' };

export interface AlertDefinition {
  uid: string;
  title: string;
  sql: string;
  /** How far back the query looks, in seconds. */
  lookbackSeconds: number;
  /** Fires when the reduced value is above this. */
  above: number;
  /** How long the condition must hold before the alert fires. */
  forDuration: string;
  summary: string;
  dashboardUid: string;
}

export function alertDefinitions(settings: DashboardSettings): AlertDefinition[] {
  const a = settings.alerts;
  const q = alertQueries(a, settings.timeZone);
  return [
    {
      uid: 'switchboard-p95-response-time',
      title: 'AI response time p95 too high',
      sql: q.p95ResponseSeconds,
      lookbackSeconds: 15 * 60,
      above: a.p95ResponseSeconds,
      forDuration: '5m',
      summary: `p95 AI response time of {{ $labels.assistant }} is {{ printf "%.1f" $values.B.Value }} s (limit ${a.p95ResponseSeconds} s).`,
      dashboardUid: 'switchboard-latency',
    },
    {
      uid: 'switchboard-provider-error-rate',
      title: 'Model provider error rate',
      sql: q.providerErrorRate,
      lookbackSeconds: 15 * 60,
      above: a.providerErrorRate,
      forDuration: '5m',
      summary: `{{ $labels.provider }} fails {{ humanizePercentage $values.B.Value }} of calls (limit ${a.providerErrorRate * 100}%).`,
      dashboardUid: 'switchboard-latency',
    },
    {
      uid: 'switchboard-response-rate-drop',
      title: 'AI response rate dropped',
      sql: q.responseRateDrop,
      lookbackSeconds: 8 * 24 * 3600,
      above: a.responseRateDrop,
      forDuration: '10m',
      summary: `Response rate of {{ $labels.assistant }} in the last hour is {{ humanizePercentage $values.B.Value }} below its 7-day level.`,
      dashboardUid: 'switchboard-overview',
    },
    {
      uid: 'switchboard-daily-cost-budget',
      title: 'Daily cost above budget',
      sql: q.dailyCostUsd,
      // A local day lasts up to 25 hours (the autumn daylight-saving change): 24 h of look-back
      // dropped that day's first hour.
      lookbackSeconds: 25 * 3600,
      above: a.dailyBudgetUsd,
      forDuration: '0s',
      summary: `Spent {{ printf "%.2f" $values.B.Value }} USD since 00:00 ${settings.timeZone} (budget ${a.dailyBudgetUsd} USD).`,
      dashboardUid: 'switchboard-cost',
    },
  ];
}

/** A: the ClickHouse query; B: its last value per series; C: B above the threshold. */
function buildRule(definition: AlertDefinition): Rule {
  const clickhouse = new ClickHouseQueryBuilder(definition.sql, 'table')
    .refId('A')
    .datasource(ALERT_DATASOURCE)
    .intervalMs(60_000)
    .maxDataPoints(43_200);
  const reduce = new TypeReduceBuilder()
    .refId('B')
    .datasource(EXPRESSION_DATASOURCE)
    .expression('A')
    .reducer('last');
  const threshold = new TypeThresholdBuilder()
    .refId('C')
    .datasource(EXPRESSION_DATASOURCE)
    .expression('B')
    .conditions([{ evaluator: { type: 'gt', params: [definition.above] } }]);
  return (
    new RuleBuilder(definition.title)
      .uid(definition.uid)
      .ruleGroup(ALERT_GROUP)
      .folderUID(FOLDER_UID)
      .orgID(1)
      .condition('C')
      .withQuery(
        new QueryBuilder('A')
          .datasourceUid(CLICKHOUSE_DATASOURCE_UID)
          .relativeTimeRange({ from: definition.lookbackSeconds, to: 0 })
          .model(clickhouse),
      )
      .withQuery(new QueryBuilder('B').datasourceUid('__expr__').model(reduce))
      .withQuery(new QueryBuilder('C').datasourceUid('__expr__').model(threshold))
      // No rows = nothing to judge (no traffic, too few calls): not an alert. A failing query is.
      .noDataState('OK')
      .execErrState('Error')
      .forDuration(definition.forDuration)
      .labels({ team: 'switchboard' })
      .annotations({
        summary: definition.summary,
        __dashboardUid__: definition.dashboardUid,
      })
      .build()
  );
}

export function alertRules(settings: DashboardSettings): Rule[] {
  return alertDefinitions(settings).map(buildRule);
}

/**
 * Grafana's alerting file-provisioning format (groups → rules), which differs from the HTTP
 * API shape the SDK builds (`folderUID`, `ruleGroup`, `orgID` per rule): mapped here.
 */
export function alertRulesProvisioning(settings: DashboardSettings): Record<string, unknown> {
  const rules = alertRules(settings).map((rule) => ({
    uid: rule.uid,
    title: rule.title,
    condition: rule.condition,
    data: rule.data.map((query) => ({
      refId: query.refId,
      ...(query.relativeTimeRange ? { relativeTimeRange: query.relativeTimeRange } : {}),
      datasourceUid: query.datasourceUid,
      model: query.model,
    })),
    noDataState: rule.noDataState,
    execErrState: rule.execErrState,
    for: rule.for,
    labels: rule.labels,
    annotations: rule.annotations,
    isPaused: false,
  }));
  return {
    apiVersion: 1,
    groups: [{ orgId: 1, name: ALERT_GROUP, folder: FOLDER_TITLE, interval: '1m', rules }],
  };
}
