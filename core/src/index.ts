export { StartupError, redactUrl } from './errors.js';
export { loadConfig, formatConfigIssues, DEFAULT_CONFIG_PATH } from './config/load-config.js';
export type { LoadedConfig, LoadConfigOptions } from './config/load-config.js';
export { switchboardConfigSchema } from './config/schema.js';
export type { SwitchboardConfig, SwitchboardConfigInput } from './config/schema.js';
export { createLogger, maskPhone } from './logging/logger.js';
export type { Logger } from './logging/logger.js';
export {
  connectPostgres,
  openVerifiedPool,
  quoteIdent,
  describePgError,
} from './postgres/connect-postgres.js';
export type { Database, ConnectPostgresOptions } from './postgres/connect-postgres.js';
export { startLocalPostgres } from './postgres/local-postgres.js';
export type { LocalPostgres } from './postgres/local-postgres.js';
export { readDataDirLock, tryLockDataDir, lockFileFor } from './postgres/data-dir-lock.js';
export { migratePostgres, REPO_ROOT } from './postgres/migrate-postgres.js';
export type { PostgresMigrations, MigrationResult } from './postgres/migrate-postgres.js';
export { inTransaction } from './postgres/in-transaction.js';
export { connectClickHouse, CLICKHOUSE_SETTINGS } from './clickhouse/connect-clickhouse.js';
export type { ClickHouse } from './clickhouse/connect-clickhouse.js';
export { migrateClickHouse, splitStatements } from './clickhouse/migrate-clickhouse.js';
export type { ClickHouseMigrations } from './clickhouse/migrate-clickhouse.js';
export { ddlForMode, ddlModeFor, migrationsTableDdl, LOCAL_TABLE_SUFFIX } from './clickhouse/cluster-ddl.js';
export type { ClickHouseDdlMode } from './clickhouse/cluster-ddl.js';
export { checkHealth, postgresHealth, clickhouseHealth } from './health/check-dependencies.js';
export type { HealthCheck, DependencyState } from './health/check-dependencies.js';
export { runMain } from './runtime/run-main.js';
export type { Closable } from './runtime/run-main.js';
export { createHttpServer } from './http/create-http-server.js';
export type { HttpServerOptions } from './http/create-http-server.js';
export type { ChatwootConfig, ChatwootAccountConfig } from './config/sections/chatwoot.js';
export type { AssistantConfig, ModelRef } from './config/sections/assistants.js';
export type { ConversationPolicy } from './config/sections/conversation-policy.js';
export type {
  ToolsConfig,
  LookupConfig,
  SqlLookupConfig,
  HttpLookupConfig,
  ToolParameter,
  AppointmentsConfig,
  CustomerFieldConfig,
  FileConfig,
} from './config/sections/tools.js';
export {
  signChatwootPayload,
  verifyChatwootSignature,
  constantTimeEqual,
} from './chatwoot-signature/index.js';
export type { ChatwootSignatureCheck, VerifyChatwootSignatureInput } from './chatwoot-signature/index.js';
export {
  retry,
  retryDelayMs,
  classifyRetryableError,
  abortableSleep,
  parseRetryAfter,
  RetryableError,
  isRetryableStatus,
} from './retry/index.js';
export type { RetryOptions, BackoffOptions, RetryDecision, HeaderLookup } from './retry/index.js';
export { createWorkerLoop, workerBackoffMs } from './worker/index.js';
export type { WorkerLoop, WorkerLoopOptions, WorkerBackoff, WorkerFailure } from './worker/index.js';
export { httpRequest, HttpRequestError } from './http/http-client.js';
export type { HttpRequest, HttpResponse, HttpFailureCode } from './http/http-client.js';
export { installedPackageVersion } from './runtime/installed-package-version.js';
export { safeFetch, SafeFetchError } from './http/safe-fetch.js';
export type { FetchPolicy, FetchedMedia, SafeFetchFailure } from './http/safe-fetch.js';
export { isPrivateAddress, originAllowed } from './http/address-policy.js';
