import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { CLICKHOUSE_DATASOURCE_UID } from '../grafana/datasource.js';
import { dashboardPanels } from '../testing/panel-runner.js';
import { validateDashboard } from '../testing/dashboard-validation.js';
import { DEFAULT_SETTINGS } from '../settings.js';
import { PROVISIONING_DIR, renderProvisioning } from './render-provisioning.js';

const files = renderProvisioning();
const dashboards = files
  .filter((file) => file.path.endsWith('.json'))
  .map((file) => JSON.parse(file.content) as Dashboard);

describe('generated provisioning files', () => {
  it('are committed as generated (run `npm run dashboards` after changing dashboards/src)', () => {
    for (const file of files) {
      const target = path.join(PROVISIONING_DIR, file.path);
      expect(fs.existsSync(target), `${file.path} is missing`).toBe(true);
      expect(fs.readFileSync(target, 'utf8'), `${file.path} is stale`).toBe(file.content);
    }
    const onDisk = fs
      .readdirSync(PROVISIONING_DIR, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(PROVISIONING_DIR, path.join(entry.parentPath, entry.name)));
    expect(onDisk.sort()).toEqual(files.map((file) => file.path).sort());
  });

  it('refuse settings that would generate broken links or alerts that never fire', () => {
    expect(() =>
      renderProvisioning({ ...DEFAULT_SETTINGS, chatwootUrl: 'https://chat.example.com/' }),
    ).toThrow(/trailing slash/);
    const alerts = { ...DEFAULT_SETTINGS.alerts, providerErrorRate: 20 };
    expect(() => renderProvisioning({ ...DEFAULT_SETTINGS, alerts })).toThrow();
  });

  it('are the same bytes on every run', () => {
    expect(renderProvisioning()).toEqual(files);
  });

  it('dashboards are valid: schema, ids, grid, variables', () => {
    expect(dashboards.length).toBeGreaterThan(0);
    for (const dashboard of dashboards) {
      expect(validateDashboard(dashboard), dashboard.uid).toEqual([]);
    }
    const uids = dashboards.map((dashboard) => dashboard.uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it('every dashboard has the shared filters and every panel queries ClickHouse through $datasource', () => {
    for (const dashboard of dashboards) {
      const names = (dashboard.templating?.list ?? []).map((variable) => variable.name);
      expect(names).toEqual(
        expect.arrayContaining(['datasource', 'account', 'channel', 'assistant', 'phone']),
      );
      for (const panel of dashboardPanels(dashboard)) {
        expect(panel.datasource, panel.title).toEqual({
          type: 'grafana-clickhouse-datasource',
          uid: '${datasource}',
        });
        expect(panel.targets?.[0], panel.title).toMatchObject({ editorType: 'sql', refId: 'A' });
      }
    }
  });

  it('trend stats show the last point (the current range) and the change from the previous period', () => {
    const stats = dashboards.flatMap(dashboardPanels).filter((panel) => panel.options?.showPercentChange);
    expect(stats.length).toBeGreaterThan(10);
    for (const panel of stats) {
      expect(panel.options.reduceOptions, panel.title).toEqual({
        calcs: ['last'],
        fields: '/^value$/',
        values: false,
      });
      expect(panel.targets?.[0], panel.title).toMatchObject({ format: 0, queryType: 'timeseries' });
    }
  });

  it('SQL uses only macros the plugin expands (an unknown $__name would reach ClickHouse as text)', () => {
    // Not $__timeFilter / $__fromTime / $__toTime: inclusive of `to` and cut to whole seconds,
    // where the metrics API counts [from, to) to the millisecond.
    // Nor $__timeInterval: it cuts buckets at UTC boundaries (zonedBucket uses $__interval_s).
    const known = new Set(['fromTime_ms', 'toTime_ms', 'interval_s', 'conditionalAll']);
    const sql = files.map((file) => file.content).join('\n');
    const used = new Set([...sql.matchAll(/\$__(\w+)/g)].map((match) => match[1]!));
    used.delete('all'); // the "All" value, not a macro
    expect([...used].filter((name) => !known.has(name))).toEqual([]);
  });

  it('YAML files parse, and alert rules point at the provisioned datasource', () => {
    const yaml = Object.fromEntries(
      files.filter((file) => file.path.endsWith('.yaml')).map((file) => [file.path, parse(file.content)]),
    );
    expect(yaml['datasources/clickhouse.yaml'].datasources[0]).toMatchObject({
      uid: CLICKHOUSE_DATASOURCE_UID,
      type: 'grafana-clickhouse-datasource',
      secureJsonData: { password: '$GRAFANA_CLICKHOUSE_PASSWORD' },
    });
    const provider = yaml['dashboards/switchboard.yaml'].providers[0];
    const group = yaml['alerting/switchboard-alerts.yaml'].groups[0];
    expect(group.folder).toBe(provider.folder);
    const uids = group.rules.map((rule: { uid: string }) => rule.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const rule of group.rules) {
      expect(rule.uid.length, rule.uid).toBeLessThanOrEqual(40);
      const refIds = rule.data.map((query: { refId: string }) => query.refId);
      expect(refIds, rule.uid).toContain(rule.condition);
      expect(rule.data[0].datasourceUid).toBe(CLICKHOUSE_DATASOURCE_UID);
      expect(rule.data[0].model.rawSql).not.toMatch(/\$\{?(account|channel|assistant|phone)/);
    }
  });
});
