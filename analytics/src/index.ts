export { buildAnalyticsService } from './service.js';
export type { AnalyticsDependencies } from './service.js';
