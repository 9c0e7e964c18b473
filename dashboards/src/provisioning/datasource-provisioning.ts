import { CLICKHOUSE_PLUGIN_ID } from '../grafana/clickhouse-query.js';
import { CLICKHOUSE_DATASOURCE_NAME, CLICKHOUSE_DATASOURCE_UID } from '../grafana/datasource.js';

/**
 * Grafana's datasource provisioning file for the ClickHouse plugin (jsonData keys of plugin v4:
 * docs/sources/configure.md). Grafana expands $VARS in provisioning files, so connection details
 * and the password come from the Grafana container's environment, never from the repository.
 * The user must be read-only: the plugin runs whatever SQL a dashboard editor types.
 */
export function datasourceProvisioning(): Record<string, unknown> {
  return {
    apiVersion: 1,
    datasources: [
      {
        name: CLICKHOUSE_DATASOURCE_NAME,
        uid: CLICKHOUSE_DATASOURCE_UID,
        type: CLICKHOUSE_PLUGIN_ID,
        access: 'proxy',
        orgId: 1,
        isDefault: true,
        editable: false,
        jsonData: {
          host: '$CLICKHOUSE_HOST',
          port: '$CLICKHOUSE_PORT',
          protocol: 'native',
          secure: false,
          username: '$GRAFANA_CLICKHOUSE_USER',
          defaultDatabase: '$CLICKHOUSE_DATABASE',
          dialTimeout: 10,
          queryTimeout: 60,
        },
        secureJsonData: {
          password: '$GRAFANA_CLICKHOUSE_PASSWORD',
        },
      },
    ],
  };
}
