export { createWorkerLoop, workerBackoffMs } from './worker-loop.js';
export type { WorkerLoop, WorkerLoopOptions, WorkerBackoff, WorkerFailure } from './worker-loop.js';
