import { StartupError } from '../errors.js';

export interface Closable {
  name: string;
  close(): Promise<unknown>;
}

/**
 * Runs a service's start-up: a StartupError ends the process with its one-line message (no
 * stack trace), and SIGINT/SIGTERM close everything that was opened, in reverse order, once.
 */
export async function runMain(
  name: string,
  start: (onClose: (resource: Closable) => void) => Promise<void>,
): Promise<void> {
  const resources: Closable[] = [];
  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    process.stderr.write(`${name}: ${signal} received, shutting down\n`);
    for (const resource of resources.reverse()) {
      try {
        await resource.close();
      } catch (error) {
        process.stderr.write(`${name}: closing ${resource.name} failed: ${(error as Error).message}\n`);
      }
    }
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  try {
    await start((resource) => resources.push(resource));
  } catch (error) {
    const message = StartupError.isInstance(error)
      ? error.message
      : `unexpected error: ${(error as Error).stack ?? String(error)}`;
    process.stderr.write(`${name}: ${message}\n`);
    for (const resource of resources.reverse()) await resource.close().catch(() => undefined);
    process.exit(1);
  }
}
