export { buildAnalyticsService } from './service.js';
export type { AnalyticsDependencies } from './service.js';
export * from './events/event-schema.js';
export { enqueueEvents, buildEvent } from './outbox/enqueue-events.js';
export type { Queryable } from './outbox/enqueue-events.js';
