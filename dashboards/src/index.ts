export { renderProvisioning, PROVISIONING_DIR } from './generate/render-provisioning.js';
export type { GeneratedFile } from './generate/render-provisioning.js';
export { allDashboards } from './dashboards/all-dashboards.js';
export { alertRules, alertDefinitions } from './alerts/alert-rules.js';
export { DEFAULT_SETTINGS } from './settings.js';
export type { DashboardSettings } from './settings.js';
