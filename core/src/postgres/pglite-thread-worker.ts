import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { servePGlite, sessionOn, type PGliteWireServer } from './pglite-wire-server.js';
import type { FromServerThread, ServerThreadOptions } from './pglite-server-thread.js';

/** Runs on the server thread: PGlite and its wire server, until the parent says stop. */
const port = parentPort;
if (port === null) throw new Error('pglite-thread-worker.ts runs as a worker thread only');
const options = workerData as ServerThreadOptions;
const send = (message: FromServerThread): void => port.postMessage(message);
const text = (error: unknown): string => (error instanceof Error ? error.message : String(error));

let db: PGlite | null = null;
let server: PGliteWireServer | null = null;
try {
  db = await PGlite.create({
    ...(options.dataDir === null ? {} : { dataDir: options.dataDir }),
    extensions: { vector },
  });
  try {
    server = await servePGlite({
      session: sessionOn(db),
      host: options.host,
      port: options.port,
      maxConnections: options.maxConnections,
    });
    send({ type: 'ready', port: server.port });
  } catch (error) {
    await db.close();
    db = null;
    send({ type: 'failed', stage: 'listen', message: text(error) });
  }
} catch (error) {
  send({ type: 'failed', stage: 'open', message: text(error) });
}

port.on('message', (message: { type: 'stop' }) => {
  if (message.type !== 'stop') return;
  void (async () => {
    try {
      await server?.stop();
      await db?.close();
      send({ type: 'stopped' });
    } catch (error) {
      send({ type: 'stopped', error: text(error) });
    } finally {
      server = null;
      db = null;
    }
  })();
});
