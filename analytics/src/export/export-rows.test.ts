import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { createTestClickHouse, type TestClickHouse } from '@switchboard/core/testing';
import { insertEvents, seededEvents, SEED_RANGE } from '../testing/seed-dataset.js';
import { filtersSchema } from '../metrics/filters.js';
import { runExportCli } from '../cli/export-cli.js';
import { messageEvent, modelCallEvent } from '../testing/event-factory.js';
import { exportRows, exportStream, safeCell } from './export-rows.js';
import { analyticsEventSchema } from '@switchboard/events';

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

  it('writes CSV with a header and neutralises spreadsheet formulas in text cells', async () => {
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
    // A phone column is text: its leading + is quoted too (and survives the spreadsheet).
    expect(line).toContain(",'+5511987654321");
    expect(line).toContain(",'-cmd,");
  });
});

describe('CSV formula neutralising (OWASP: = + - @ tab CR)', () => {
  // Account 3: hostile text in every kind of text column, stored and exported for real.
  const hostile = {
    accountId: 3,
    conversationId: 301,
    customerId: 77,
    customerPhone: "+1+cmd|' /C calc'!A0",
    assistant: '@SUM(1+1)',
  };
  beforeAll(async () => {
    await insertEvents(ch, [
      messageEvent('customer', {
        ...hostile,
        messageId: 3001,
        occurredAt: '2026-11-02T10:00:00.000Z',
        text: "-2+3+cmd|' /C calc'!A0",
      }),
      messageEvent('customer', {
        ...hostile,
        messageId: 3002,
        occurredAt: '2026-11-02T10:00:01.000Z',
        text: '\tx',
      }),
      messageEvent('customer', {
        ...hostile,
        messageId: 3003,
        occurredAt: '2026-11-02T10:00:02.000Z',
        text: '\rx',
      }),
      messageEvent('ai', { ...hostile, messageId: 3004, occurredAt: '2026-11-02T10:00:03.000Z', text: '+1' }),
      modelCallEvent({ ...hostile, costUsd: '0.002', occurredAt: '2026-11-02T10:00:03.000Z' }),
    ]);
  });

  /** CSV text as rows of cells keyed by header (csv-stringify quotes; these cells hold no quote or comma). */
  async function csvRows(kind: 'conversations' | 'messages'): Promise<Record<string, string>[]> {
    const text = (await collect(exportStream(exportRows(ch, kind, 3, filters), kind, 'csv'))).join('');
    const [header, ...lines] = text.replace(/\n$/, '').split(/\n(?=\d{4}-|\d+,)/);
    const columns = header!.split(',');
    return lines.map((line) => {
      const cells = line.match(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, ''));
      return Object.fromEntries(
        columns.map((c, index) => [c, cells[index]!.replace(/^"([\s\S]*)"$/, '$1').replace(/""/g, '"')]),
      );
    });
  }

  it('messages: every text cell starting with a sign is quoted, even a sign then a digit', async () => {
    const rows = await csvRows('messages');
    expect(rows.map((r) => r.text)).toEqual(["'-2+3+cmd|' /C calc'!A0", "'\tx", "'\rx", "'+1"]);
    for (const row of rows) {
      expect(row.customer_phone).toBe("'+1+cmd|' /C calc'!A0");
      expect(row.assistant).toBe("'@SUM(1+1)");
      // Numeric columns stay numbers.
      expect(row.account_id).toBe('3');
      expect(row.conversation_id).toBe('301');
      expect(row.customer_id).toBe('77');
      expect(row.attachments).toBe('0');
    }
  });

  it('conversations: text columns quoted, count and cost columns left numeric', async () => {
    const [row, ...rest] = await csvRows('conversations');
    expect(rest).toEqual([]);
    expect(row!.customer_phone).toBe("'+1+cmd|' /C calc'!A0");
    expect(row!.assistant).toBe("'@SUM(1+1)");
    expect(row!.conversation_id).toBe('301');
    expect(row!.messages_customer).toBe('3');
    expect(row!.messages_ai).toBe('1');
    expect(Number(row!.cost_usd)).toBeCloseTo(0.002, 6);
  });

  it('decides by column type, not by the look of the value', () => {
    // A negative amount in a cost column is a number; the same text in a text column is not.
    expect(safeCell('cost_usd', '-0.5')).toBe('-0.5');
    expect(safeCell('response_ms_avg', -3)).toBe(-3);
    expect(safeCell('customer_phone', '-0.5')).toBe("'-0.5");
    expect(safeCell('text', '+5511987654321')).toBe("'+5511987654321");
    // Something that is not a number in a numeric column is treated as text.
    expect(safeCell('cost_usd', '-2+3+cmd|x')).toBe("'-2+3+cmd|x");
    expect(safeCell('text', 'plain')).toBe('plain');
    expect(safeCell('text', null)).toBe(null);
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

describe('delivery status in the messages export', () => {
  it('a message that failed carries its status and error and is not reported as sent', async () => {
    const at = '2026-12-05T10:00:00.000Z';
    const c = { accountId: 1, conversationId: 901 };
    await insertEvents(ch, [
      messageEvent('customer', { ...c, messageId: 9101, occurredAt: at }),
      messageEvent('ai', { ...c, messageId: 9102, occurredAt: '2026-12-05T10:00:02.000Z' }),
      messageEvent('ai', { ...c, messageId: 9103, occurredAt: '2026-12-05T10:00:03.000Z' }),
      analyticsEventSchema.parse({
        id: '00000000-0000-4000-8000-000000009104',
        occurredAt: '2026-12-05T10:00:04.000Z',
        accountId: 1,
        conversationId: 901,
        type: 'delivery_failure',
        payload: { messageId: 9103, error: 'outside the 24 h window (131047)', action: 'recorded' },
      }),
    ]);
    const rows = (
      await collect(
        exportRows(ch, 'messages', 1, filtersSchema.parse({ from: '2026-12-05', to: '2026-12-06' })),
      )
    ).flat();
    expect(rows.map((r) => [r.message_id, r.delivery_status, r.delivery_error])).toEqual([
      [9101, 'received', ''],
      [9102, 'sent', ''],
      [9103, 'failed', 'outside the 24 h window (131047)'],
    ]);
  });
});
