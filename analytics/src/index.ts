export { buildAnalyticsService } from './service.js';
export type { AnalyticsDependencies } from './service.js';
export { buildAnalyticsIngest, registerIngest } from './ingest/build-ingest.js';
export type { IngestDependencies } from './ingest/build-ingest.js';
export { buildAnalyticsServe, registerServeRoutes } from './serve/build-serve.js';
export type { ServeDependencies } from './serve/build-serve.js';
export { createShipper } from './shipper/shipper.js';
export { OutboxStore } from './shipper/outbox-store.js';
export type { Shipper, ShipResult, ShipperOptions } from './shipper/shipper.js';
export { computeMetrics } from './metrics/compute-metrics.js';
export type { Metrics, SeriesPoint } from './metrics/compute-metrics.js';
export { filtersSchema } from './metrics/filters.js';
export type { Filters } from './metrics/filters.js';
export {
  exportRows,
  exportStream,
  CONVERSATION_EXPORT_COLUMNS,
  MESSAGE_EXPORT_COLUMNS,
} from './export/export-rows.js';
export { loadConversationInsight } from './serve/panel/conversation-insight.js';
export type { ConversationInsight } from './serve/panel/conversation-insight.js';
export { ACCOUNT_WEBHOOK_PATH } from './ingest/account-webhooks/account-webhook-route.js';
