import {
  ConstantVariableBuilder,
  CustomVariableBuilder,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  TextBoxVariableBuilder,
  VariableRefresh,
  VariableSort,
  type VariableModel,
} from '@grafana/grafana-foundation-sdk/dashboard';
import type { Builder } from '@grafana/grafana-foundation-sdk/cog';
import { DEFAULT_SETTINGS } from '../settings.js';
import { TIME_ZONE_VARIABLE } from '../sql/time-zone.js';
import { CLICKHOUSE_PLUGIN_ID, normalizeSql } from './clickhouse-query.js';
import { CLICKHOUSE_DATASOURCE_NAME, CLICKHOUSE_DATASOURCE_UID, DASHBOARD_DATASOURCE } from './datasource.js';

/** Names the panel SQL refers to; `filters.ts` is the one place that writes them into SQL. */
export const VariableName = {
  datasource: 'datasource',
  account: 'account',
  channel: 'channel',
  assistant: 'assistant',
  phone: 'phone',
  chatwootUrl: 'chatwoot_url',
  timeZone: TIME_ZONE_VARIABLE,
} as const;

export interface VariableOptions {
  /** Chatwoot's public URL (settings.ts); the constant variable links use. */
  chatwootUrl?: string;
  /** The account's time zone (settings.ts): the Time zone variable's default. */
  timeZone?: string;
}

/**
 * Zones offered besides the configured one (any other IANA name works from the URL,
 * `var-timezone=Asia/Tokyo`): where WhatsApp helpdesks are common, west to east.
 */
export const OFFERED_TIME_ZONES = [
  'UTC',
  'America/Los_Angeles',
  'America/Mexico_City',
  'America/New_York',
  'America/Bogota',
  'America/Sao_Paulo',
  'America/Argentina/Buenos_Aires',
  'Europe/London',
  'Europe/Lisbon',
  'Europe/Madrid',
  'Europe/Berlin',
  'Africa/Lagos',
  'Africa/Johannesburg',
  'Asia/Dubai',
  'Asia/Kolkata',
  'Asia/Jakarta',
  'Asia/Singapore',
  'Australia/Sydney',
];

/** The custom variable's options, the configured zone first (Grafana's "label : value" list). */
export function timeZoneOptions(configured: string): string[] {
  return [configured, ...OFFERED_TIME_ZONES.filter((zone) => zone !== configured)];
}

const ALL = { text: 'All', value: '$__all' };

/** The ClickHouse plugin's variable editor saves its query in this shape (CHVariableQuery). */
function clickHouseVariableQuery(rawSql: string): Record<string, unknown> {
  return {
    refId: 'ClickHouseVariableQueryEditor-VariableQuery',
    queryType: 'sql',
    editorType: 'sql',
    rawSql: normalizeSql(rawSql),
  };
}

/** The SQL behind the query variables, exported so the tests run it too. */
export const VARIABLE_SQL = {
  account: `SELECT DISTINCT account_id FROM conversation_totals ORDER BY account_id`,
  // Cascades from account: only the assistants that served the chosen accounts.
  assistant: `
    SELECT DISTINCT assistant
    FROM conversation_totals
    WHERE assistant != ''
      AND $__conditionalAll(account_id IN (\${account:singlequote}), $account)
    ORDER BY assistant`,
} as const;

export function dashboardVariables(options: VariableOptions = {}): Builder<VariableModel>[] {
  const timeZone = options.timeZone ?? DEFAULT_SETTINGS.timeZone;
  return [
    new DatasourceVariableBuilder(VariableName.datasource)
      .label('Data source')
      .type(CLICKHOUSE_PLUGIN_ID)
      .current({ text: CLICKHOUSE_DATASOURCE_NAME, value: CLICKHOUSE_DATASOURCE_UID }),
    new QueryVariableBuilder(VariableName.account)
      .label('Account')
      .datasource(DASHBOARD_DATASOURCE)
      .query(clickHouseVariableQuery(VARIABLE_SQL.account))
      .definition(normalizeSql(VARIABLE_SQL.account))
      .refresh(VariableRefresh.OnDashboardLoad)
      .sort(VariableSort.NumericalAsc)
      .multi(true)
      .includeAll(true)
      .current(ALL),
    new CustomVariableBuilder(VariableName.channel)
      .label('Channel')
      // Channel types from the event schema (channelTypeSchema); "label : value" pairs.
      .values('WhatsApp : whatsapp, Web widget : web, API : api, Test : test')
      .multi(true)
      .includeAll(true)
      .current(ALL),
    new QueryVariableBuilder(VariableName.assistant)
      .label('Assistant')
      .datasource(DASHBOARD_DATASOURCE)
      .query(clickHouseVariableQuery(VARIABLE_SQL.assistant))
      .definition(normalizeSql(VARIABLE_SQL.assistant))
      .refresh(VariableRefresh.OnDashboardLoad)
      .sort(VariableSort.AlphabeticalAsc)
      .multi(true)
      .includeAll(true)
      .current(ALL),
    new TextBoxVariableBuilder(VariableName.phone)
      .label('Customer phone contains')
      .description('Digits of the customer phone number; a part is enough (e.g. 9988).')
      .defaultValue('')
      .current({ text: '', value: '' }),
    new CustomVariableBuilder(VariableName.timeZone)
      .label('Time zone')
      .description(
        "Where days and weeks start (interval buckets, budget burn); defaults to the account's zone, as the metrics API's series.",
      )
      .values(timeZoneOptions(timeZone).join(', '))
      .current({ text: timeZone, value: timeZone }),
    new ConstantVariableBuilder(VariableName.chatwootUrl)
      .label('Chatwoot URL')
      .description('Base URL of Chatwoot, for links to conversations.')
      .value(options.chatwootUrl ?? DEFAULT_SETTINGS.chatwootUrl),
  ];
}
