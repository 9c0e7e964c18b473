import { createServer, type IncomingMessage, type Server } from 'node:http';

/**
 * A proxy in front of the simulator's API that plays a Chatwoot slow to answer POST …/messages.
 * - `store-then-stall`: the POST is forwarded at once (Chatwoot creates the message) and its
 *   answer is held back `stallMs`.
 * - `stall-then-store`: the POST is held `stallMs` before it is forwarded; a caller that goes
 *   away before then (killed, timed out) never reaches Chatwoot.
 * - `alternate`: the two in turn, starting with store-then-stall.
 * - `pass`: everything straight through.
 * Other calls always pass straight through.
 */
export type StallMode = 'pass' | 'store-then-stall' | 'stall-then-store' | 'alternate';

export interface SlowChatwootProxy {
  url: string;
  mode: StallMode;
  stallMs: number;
  /** POST …/messages received and not answered yet. */
  readonly inFlight: number;
  /** POST …/messages forwarded to the simulator (so created there). */
  readonly forwarded: number;
  /** POST …/messages whose caller went away before they were forwarded. */
  readonly dropped: number;
  close(): Promise<void>;
}

const CREATE_MESSAGE = /^\/api\/v1\/accounts\/\d+\/conversations\/\d+\/messages(\?|$)/;

export async function startSlowChatwootProxy(target: string): Promise<SlowChatwootProxy> {
  const state = {
    mode: 'pass' as StallMode,
    stallMs: 60_000,
    inFlight: 0,
    forwarded: 0,
    dropped: 0,
    seen: 0,
  };
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, run: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  };
  const forward = async (request: IncomingMessage, body: Buffer | undefined) => {
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(
        ([name]) => !['host', 'connection', 'content-length'].includes(name),
      ),
    ) as Record<string, string>;
    const upstream = await fetch(`${target}${request.url}`, {
      method: request.method,
      headers,
      ...(body ? { body } : {}),
    });
    return {
      status: upstream.status,
      contentType: upstream.headers.get('content-type') ?? 'application/json',
      payload: Buffer.from(await upstream.arrayBuffer()),
    };
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      const answer = (result: Awaited<ReturnType<typeof forward>>) => {
        if (response.destroyed) return;
        response.writeHead(result.status, { 'content-type': result.contentType }).end(result.payload);
      };
      const failed = () => {
        if (!response.destroyed) response.writeHead(502).end();
      };
      const creates = request.method === 'POST' && CREATE_MESSAGE.test(request.url ?? '');
      let mode = creates ? state.mode : 'pass';
      if (mode === 'alternate') mode = state.seen % 2 === 0 ? 'store-then-stall' : 'stall-then-store';
      if (creates) state.seen++;
      if (mode === 'pass') {
        forward(request, body).then(answer, failed);
        return;
      }
      state.inFlight++;
      let gone = false;
      response.on('close', () => {
        if (!response.writableFinished) gone = true;
        state.inFlight = Math.max(0, state.inFlight - 1);
      });
      if (mode === 'store-then-stall') {
        state.forwarded++;
        forward(request, body).then((result) => later(state.stallMs, () => answer(result)), failed);
        return;
      }
      later(state.stallMs, () => {
        if (gone) {
          state.dropped++;
          return;
        }
        state.forwarded++;
        forward(request, body).then(answer, failed);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    get mode() {
      return state.mode;
    },
    set mode(value: StallMode) {
      state.mode = value;
    },
    get stallMs() {
      return state.stallMs;
    },
    set stallMs(value: number) {
      state.stallMs = value;
    },
    get inFlight() {
      return state.inFlight;
    },
    get forwarded() {
      return state.forwarded;
    },
    get dropped() {
      return state.dropped;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
