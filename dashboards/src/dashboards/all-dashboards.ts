import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type { DashboardSettings } from '../settings.js';
import { overviewDashboard } from './overview-dashboard.js';

/** Every provisioned dashboard, in the order of the Switchboard folder. */
export function allDashboards(settings: DashboardSettings): Dashboard[] {
  const options = { chatwootUrl: settings.chatwootUrl };
  return [overviewDashboard(options)];
}
