// Entry of the thread that serves local mode's PGlite (see pglite-server-thread.ts; the code is pglite-thread-worker.ts). A worker
// thread starts without the tsx loader the repository runs under (its parent's loaders are
// not passed on), so it registers one before loading the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./pglite-thread-worker.ts');
