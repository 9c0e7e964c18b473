import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';
import { CLICKHOUSE_PLUGIN_ID } from './clickhouse-query.js';

/** The uid the provisioned ClickHouse datasource gets; alert rules address it directly. */
export const CLICKHOUSE_DATASOURCE_UID = 'switchboard-clickhouse';
export const CLICKHOUSE_DATASOURCE_NAME = 'Switchboard ClickHouse';

/**
 * Dashboards address the datasource through the `datasource` variable, so an operator with a
 * second ClickHouse (staging, a replica) switches every panel at once.
 */
export const DASHBOARD_DATASOURCE: DataSourceRef = { type: CLICKHOUSE_PLUGIN_ID, uid: '${datasource}' };

/** Alert rules run on the server, without dashboard variables: they name the datasource itself. */
export const ALERT_DATASOURCE: DataSourceRef = { type: CLICKHOUSE_PLUGIN_ID, uid: CLICKHOUSE_DATASOURCE_UID };
