import { Worker } from 'node:worker_threads';

/**
 * Local mode's PGlite and its wire server run on a worker thread of their own, as a PostgreSQL
 * server runs in processes of its own. PGlite executes each statement synchronously in WASM:
 * on the main thread every statement stopped the HTTP server, the engine and the pools while it
 * ran (engine benchmark: 38 % of the main thread's CPU). And the socket layer belongs with it:
 * the one PGlite session is handed from connection to connection at each ReadyForQuery, which
 * must not wait behind the main thread's other work (with only PGlite on a thread, each answer
 * queued on the busy main thread before the next connection got the session; the session sat
 * idle most of the time).
 *
 * Messages from the thread: `ready {port}` or `failed {stage, message}` once at start, then
 * `stopped` after a `stop`.
 */
export interface ServerThreadOptions {
  dataDir: string | null;
  host: string;
  port: number;
  maxConnections: number;
}

export type FromServerThread =
  | { type: 'ready'; port: number }
  | { type: 'failed'; stage: 'open' | 'listen'; message: string }
  | { type: 'stopped'; error?: string };

export class ServerThreadStartError extends Error {
  constructor(
    readonly stage: 'open' | 'listen',
    message: string,
  ) {
    super(message);
  }
}

export interface PGliteServerThread {
  readonly port: number;
  /** Closes every connection (rolling back what was open), then PGlite's files, then the thread. */
  stop(): Promise<void>;
}

export async function startPGliteServerThread(options: ServerThreadOptions): Promise<PGliteServerThread> {
  const worker = new Worker(new URL('./pglite-thread-entry.js', import.meta.url), {
    workerData: options,
    // The thread loads its own TypeScript loader; the parent's --import of a .ts file (the
    // bench's, vitest's) would fail on a thread that does not have one yet.
    execArgv: [],
  });
  let onStopped: (() => void) | null = null;
  let hasExited = false;
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      hasExited = true;
      resolve();
    }),
  );
  const ready = new Promise<number>((resolve, reject) => {
    worker.on('message', (message: FromServerThread) => {
      if (message.type === 'ready') resolve(message.port);
      else if (message.type === 'failed') reject(new ServerThreadStartError(message.stage, message.message));
      else if (message.type === 'stopped') onStopped?.();
    });
    worker.once('error', (error) => reject(new ServerThreadStartError('open', error.message)));
    void exited.then(() => {
      reject(new ServerThreadStartError('open', 'the PGlite thread exited while starting'));
      onStopped?.();
    });
  });
  let port: number;
  try {
    port = await ready;
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  let stopping: Promise<void> | null = null;
  return {
    port,
    stop() {
      stopping ??= (async () => {
        if (!hasExited) {
          await new Promise<void>((resolve) => {
            onStopped = resolve;
            worker.postMessage({ type: 'stop' });
          });
        }
        await worker.terminate();
      })();
      return stopping;
    },
  };
}
