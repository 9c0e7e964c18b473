export { retry, retryDelayMs, classifyRetryableError, abortableSleep } from './retry.js';
export type { RetryOptions, BackoffOptions, RetryDecision } from './retry.js';
export { parseRetryAfter } from './parse-retry-after.js';
export type { HeaderLookup } from './parse-retry-after.js';
export { RetryableError, isRetryableStatus } from './retryable-error.js';
