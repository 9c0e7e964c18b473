import http from 'node:http';
import { verifyWebhookSignature } from './webhooks/sign-webhook.js';

export interface ReceivedWebhook {
  /** The request path (with query), to tell redirected deliveries apart. */
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  payload: Record<string, unknown>;
  /** null when the receiver was given no secret to check against. */
  signatureValid: boolean | null;
  receivedAt: number;
}

export interface ReceiverAnswer {
  status: number;
  delayMs?: number;
  /** Sent as the Location header (for redirects). */
  location?: string;
}

export interface WebhookReceiver {
  /** URL to give an agent bot (`outgoing_url`) or an account webhook. */
  readonly url: string;
  readonly received: ReceivedWebhook[];
  /** Change how the receiver answers: a status code, or a delay before answering. */
  respondWith(answer: (webhook: ReceivedWebhook) => ReceiverAnswer): void;
  close(): Promise<void>;
}

/**
 * A minimal bot endpoint on 127.0.0.1 (port 0) for tests and benchmarks: records every delivery,
 * verifies the signature when given the secret, answers 200 unless told otherwise.
 */
export async function createWebhookReceiver(
  options: { secret?: string; path?: string } = {},
): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let answer: (webhook: ReceivedWebhook) => ReceiverAnswer = () => ({ status: 200 });
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let payload: Record<string, unknown> = {};
      try {
        payload = JSON.parse(body) as Record<string, unknown>;
      } catch {
        // keep the raw body; tests can look at it
      }
      const signature = request.headers['x-chatwoot-signature'];
      const timestamp = request.headers['x-chatwoot-timestamp'];
      const signatureValid =
        options.secret === undefined
          ? null
          : typeof signature === 'string' &&
            typeof timestamp === 'string' &&
            verifyWebhookSignature(options.secret, timestamp, body, signature);
      const webhook: ReceivedWebhook = {
        path: request.url ?? '',
        headers: request.headers,
        body,
        payload,
        signatureValid,
        receivedAt: Date.now(),
      };
      received.push(webhook);
      const { status, delayMs, location } = answer(webhook);
      const send = (): void => {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (location) headers.location = location;
        if (!response.destroyed) response.writeHead(status, headers).end('{}');
      };
      if (delayMs) setTimeout(send, delayMs).unref();
      else send();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}${options.path ?? '/chatwoot/webhook'}`,
    received,
    respondWith(next) {
      answer = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
