export { buildAnalyticsService } from './service.js';
export type { AnalyticsDependencies } from './service.js';
export * from './events/event-schema.js';
export { enqueueEvents, outboxInsert, buildEvent } from './outbox/enqueue-events.js';
export type { Queryable } from './outbox/enqueue-events.js';
export { createShipper } from './shipper/shipper.js';
export type { Shipper, ShipResult, ShipperOptions } from './shipper/shipper.js';
export { toEventRow } from './clickhouse/event-row.js';
export type { EventRow } from './clickhouse/event-row.js';
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
export { loadConversationInsight } from './panel/conversation-insight.js';
export type { ConversationInsight } from './panel/conversation-insight.js';
export { messageEventId, deterministicUuid } from './webhooks/account-webhook-events.js';
export { verifyChatwootSignature, signChatwootBody } from './webhooks/verify-signature.js';
export { ACCOUNT_WEBHOOK_PATH } from './webhooks/account-webhook-route.js';
