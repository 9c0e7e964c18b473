import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { createTestClickHouse, type TestClickHouse } from '@switchboard/core/testing';
import { insertEvents, seededEvents, SEED_RANGE } from '../testing/seed-dataset.js';
import { filtersSchema } from '../metrics/filters.js';
import { runExportCli } from '../cli/export-cli.js';
import { exportRows, exportStream } from './export-rows.js';

let ch: TestClickHouse;
beforeAll(async () => {
  ch = await createTestClickHouse();
  await insertEvents(ch, seededEvents());
});
afterAll(async () => ch?.drop());

const filters = filtersSchema.parse(SEED_RANGE);

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('exportRows', () => {
  it('pages messages by keyset: bounded pages, no row twice, none missed, time order', async () => {
    const pages = await collect(exportRows(ch, 'messages', 1, filters, { pageSize: 3 }));
    expect(pages.map((p) => p.length)).toEqual([3, 3, 3, 3, 3, 1]);
    const all = pages.flat();
    expect(new Set(all.map((r) => r.event_id)).size).toBe(16);
    const whole = (await collect(exportRows(ch, 'messages', 1, filters))).flat();
    expect(all).toEqual(whole);
  });

  it('pages conversations by id and honours the row cap', async () => {
    const pages = await collect(exportRows(ch, 'conversations', 1, filters, { pageSize: 3 }));
    expect(pages.map((p) => p.map((r) => r.conversation_id))).toEqual([[101, 102, 103], [104]]);
    const capped = (
      await collect(exportRows(ch, 'conversations', 1, filters, { pageSize: 3, maxRows: 2 }))
    ).flat();
    expect(capped.map((r) => r.conversation_id)).toEqual([101, 102]);
  });

  it('pulls pages only as the consumer reads (backpressure, nothing buffered ahead)', async () => {
    let produced = 0;
    async function* counting() {
      for await (const page of exportRows(ch, 'messages', 1, filters, { pageSize: 2 })) {
        produced += 1;
        yield page;
      }
    }
    const stream = exportStream(counting(), 'messages', 'ndjson');
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    // One page read (plus at most the stream's own read-ahead), not all eight.
    expect(produced).toBeLessThanOrEqual(2);
    stream.destroy();
  });

  it('writes CSV with a header and neutralises spreadsheet formulas, keeping phone numbers', async () => {
    const rows = [
      {
        occurred_at: '2026-11-02T10:00:00.000Z',
        text: '=HYPERLINK("x")',
        customer_phone: '+5511987654321',
        author: '-cmd',
      },
    ];
    async function* one() {
      yield rows;
    }
    const text = (await collect(exportStream(one(), 'messages', 'csv'))).join('');
    const [header, line] = text.trim().split('\n');
    expect(header!.startsWith('occurred_at,account_id,conversation_id,message_id')).toBe(true);
    expect(line).toContain(`"'=HYPERLINK(""x"")"`);
    expect(line).toContain(',+5511987654321');
    expect(line).toContain(",'-cmd,");
  });
});

describe('export CLI', () => {
  it('writes the same rows as the API, straight from ClickHouse', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const code = await runExportCli(
      [
        'conversations',
        '--account',
        '1',
        '--from',
        '2026-11-01',
        '--to',
        '2026-11-08',
        '--channel',
        'whatsapp',
        '--format',
        'ndjson',
      ],
      { stdout: out, clickhouse: async () => ({ client: ch.client, close: async () => undefined }) },
    );
    expect(code).toBe(0);
    const rows = Buffer.concat(chunks)
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { conversation_id: number });
    expect(rows.map((r) => r.conversation_id)).toEqual([101, 102]);
  });

  it('refuses bad arguments with exit code 2', async () => {
    const out = new PassThrough();
    const err = new PassThrough();
    const messages: string[] = [];
    err.on('data', (c: Buffer) => messages.push(c.toString()));
    expect(await runExportCli(['tickets', '--account', '1'], { stdout: out, stderr: err })).toBe(2);
    expect(await runExportCli(['messages'], { stdout: out, stderr: err })).toBe(2);
    expect(
      await runExportCli(['messages', '--account', '1', '--channel', 'fax'], { stdout: out, stderr: err }),
    ).toBe(2);
    expect(messages.join('')).toContain('channel.0:');
  });
});
