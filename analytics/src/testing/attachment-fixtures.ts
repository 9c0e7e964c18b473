import http from 'node:http';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { analyticsEventSchema, type AnalyticsEvent, type MessageAttachment } from '@switchboard/events';

/** Test bytes with real signatures (the proxy checks them). */
export const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('IHDR-test-image'),
]);
export const OGG = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(60, 1)]);
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n');

/** A real, viewable PNG: horizontal bands of the given colours (for the browser screenshot). */
export function bandedPng(width: number, height: number, colours: [number, number, number][]): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const [r, g, b] = colours[Math.floor((y * colours.length) / height)]!;
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) row.set([r, g, b], 1 + x * 3);
    rows.push(row);
  }
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

interface Route {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

/**
 * A stand-in for Chatwoot and its storage on 127.0.0.1: fixed routes, every request recorded
 * (path and api_access_token), so tests can see what the proxy asked for.
 */
export async function startFakeChatwoot(): Promise<{
  origin: string;
  routes: Map<string, Route>;
  requests: { path: string; token: string | undefined }[];
  close: () => Promise<void>;
}> {
  const routes = new Map<string, Route>();
  const requests: { path: string; token: string | undefined }[] = [];
  const server = http.createServer((req, res) => {
    const token = req.headers['api_access_token'];
    requests.push({ path: req.url ?? '', token: typeof token === 'string' ? token : undefined });
    const route = routes.get(req.url ?? '') ?? { status: 404, body: 'Not Found' };
    res.writeHead(route.status, route.headers ?? {});
    res.end(route.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    routes,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let sequence = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++sequence).padStart(12, '0')}`;

export function inboundMessage(
  accountId: number,
  conversationId: number,
  messageId: number,
  occurredAt: string,
  attachments: MessageAttachment[],
): AnalyticsEvent {
  return analyticsEventSchema.parse({
    id: uuid(),
    occurredAt,
    accountId,
    conversationId,
    channel: 'whatsapp',
    type: 'message',
    payload: {
      messageId,
      direction: 'inbound',
      author: 'customer',
      contentType: 'text',
      text: '',
      attachments,
    },
  });
}

export function readingEvent(
  accountId: number,
  conversationId: number,
  messageId: number,
  occurredAt: string,
  read: {
    kind: 'transcription' | 'vision';
    method?: 'vision' | 'ocr' | 'pdf_text';
    model: string;
    text: string;
    costUsd: string;
  },
): AnalyticsEvent {
  const common = {
    id: uuid(),
    occurredAt,
    accountId,
    conversationId,
    costUsd: read.costUsd,
    costKind: read.kind,
  };
  if (read.kind === 'transcription') {
    return analyticsEventSchema.parse({
      ...common,
      type: 'transcription',
      payload: {
        messageId,
        provider: 'openai',
        model: read.model,
        durationSeconds: 6,
        latencyMs: 850,
        outcome: 'ok',
        priceVersion: 'test',
        text: read.text,
      },
    });
  }
  return analyticsEventSchema.parse({
    ...common,
    type: 'vision',
    payload: {
      messageId,
      method: read.method ?? 'vision',
      provider: read.method === 'vision' ? 'openai' : 'local',
      model: read.model,
      latencyMs: 400,
      outcome: 'ok',
      priceVersion: 'test',
      text: read.text,
    },
  });
}
