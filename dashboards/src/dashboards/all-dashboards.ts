import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type { DashboardSettings } from '../settings.js';
import { costDashboard } from './cost-dashboard.js';
import { explorerDashboard } from './explorer-dashboard.js';
import { latencyDashboard } from './latency-dashboard.js';
import { overviewDashboard } from './overview-dashboard.js';
import { qualityDashboard } from './quality-dashboard.js';

/** Every provisioned dashboard, in the order of the Switchboard folder. */
export function allDashboards(settings: DashboardSettings): Dashboard[] {
  const options = { chatwootUrl: settings.chatwootUrl, timeZone: settings.timeZone };
  return [
    overviewDashboard(options),
    costDashboard({ ...options, dailyBudgetUsd: settings.alerts.dailyBudgetUsd }),
    latencyDashboard(options),
    qualityDashboard(options),
    explorerDashboard(options),
  ];
}
