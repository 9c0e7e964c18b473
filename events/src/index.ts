export * from './event-schema.js';
export { enqueueEvents, outboxInsert, buildEvent, OUTBOX_ROW_FORMAT } from './outbox.js';
export type { Queryable } from './outbox.js';
export { toEventRow, toInsertRow, toClickHouseTime } from './clickhouse-row.js';
export type { EventRow } from './clickhouse-row.js';
export { deterministicUuid, messageEventId, stableEventId } from './event-ids.js';
export { envelopeFor } from './envelope.js';
export type { EventEnvelope, EnvelopeSource } from './envelope.js';
