import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = (request: http.IncomingMessage, response: http.ServerResponse) => void;

/**
 * A throw-away HTTP server on 127.0.0.1, port 0, playing Chatwoot's ActiveStorage redirect and
 * the storage behind it (and misbehaving storage: huge bodies, silence, hostile redirects).
 */
export async function startMediaServer(routes: Record<string, Route>): Promise<{
  port: number;
  origin: string;
  /** Bytes written per path, to prove a download was cut off early. */
  written: Map<string, number>;
  close(): Promise<void>;
}> {
  const written = new Map<string, number>();
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    const route = routes[path];
    if (!route) {
      response.writeHead(404).end('Not Found');
      return;
    }
    const write = response.write.bind(response);
    response.write = ((chunk: Buffer, ...rest: never[]) => {
      written.set(path, (written.get(path) ?? 0) + chunk.length);
      return write(chunk, ...rest);
    }) as typeof response.write;
    route(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    written,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves bytes with a content type (and a content-length, like a real storage service). */
export function serve(bytes: Buffer, contentType: string): Route {
  return (_request, response) => {
    response.writeHead(200, { 'content-type': contentType, 'content-length': bytes.length });
    response.write(bytes);
    response.end();
  };
}

export function redirectTo(location: string, status = 302): Route {
  return (_request, response) => {
    response.writeHead(status, { location }).end();
  };
}

/** Streams `totalBytes` in 64 KiB chunks without announcing a length (chunked encoding). */
export function streamBytes(totalBytes: number, contentType = 'audio/ogg'): Route {
  return (_request, response) => {
    response.writeHead(200, { 'content-type': contentType });
    const chunk = Buffer.alloc(64 * 1024, 1);
    let sent = 0;
    const pump = (): void => {
      while (sent < totalBytes && !response.destroyed) {
        sent += chunk.length;
        if (!response.write(chunk)) {
          response.once('drain', pump);
          return;
        }
      }
      if (!response.destroyed) response.end();
    };
    response.on('close', () => {
      sent = totalBytes;
    });
    pump();
  };
}
