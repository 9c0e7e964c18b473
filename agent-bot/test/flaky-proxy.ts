import { createServer, type Server } from 'node:http';

/**
 * A reverse proxy in front of the simulator's API that can be switched "down" (503 for every
 * call), to play a Chatwoot outage while its webhooks keep flowing.
 */
export interface FlakyProxy {
  url: string;
  down: boolean;
  /** Calls refused while down. */
  refused: number;
  /** Refuses (503) the calls it returns true for, even while up: one step of a sequence failing. */
  failWhen: ((method: string, url: string) => boolean) | null;
  close(): Promise<void>;
}

export async function startFlakyProxy(target: string): Promise<FlakyProxy> {
  const state = {
    down: false,
    refused: 0,
    failWhen: null as ((method: string, url: string) => boolean) | null,
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (state.down || state.failWhen?.(request.method ?? 'GET', request.url ?? '/')) {
        state.refused++;
        response.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
        return;
      }
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter(
          ([name]) => !['host', 'connection', 'content-length'].includes(name),
        ),
      ) as Record<string, string>;
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      fetch(`${target}${request.url}`, { method: request.method, headers, ...(body ? { body } : {}) })
        .then(async (upstream) => {
          const payload = Buffer.from(await upstream.arrayBuffer());
          response.writeHead(upstream.status, {
            'content-type': upstream.headers.get('content-type') ?? 'application/json',
          });
          response.end(payload);
        })
        .catch(() => response.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    get down() {
      return state.down;
    },
    set down(value: boolean) {
      state.down = value;
    },
    get refused() {
      return state.refused;
    },
    get failWhen() {
      return state.failWhen;
    },
    set failWhen(value) {
      state.failWhen = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
