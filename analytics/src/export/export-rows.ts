import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { ClickHouse } from '@switchboard/core';
import { buildFilter, type Filters } from '../metrics/filters.js';
import { EVENTS } from '../metrics/definitions/storage.js';
import { ATTACHMENT_LINK_COLUMNS } from './attachment-links.js';

export type ExportKind = 'conversations' | 'messages';
export type ExportFormat = 'csv' | 'ndjson';

/** Columns of the conversation export (one row per conversation), in order. */
export const CONVERSATION_EXPORT_COLUMNS = [
  'account_id',
  'conversation_id',
  'started_at',
  'last_event_at',
  'first_message_at',
  'last_message_at',
  'status',
  'channel',
  'inbox_id',
  'assistant',
  'customer_id',
  'customer_phone',
  'messages_total',
  'messages_customer',
  'messages_ai',
  'messages_human',
  'messages_system',
  'private_notes',
  'customer_messages_answered',
  'ai_replies',
  'response_ms_avg',
  'response_ms_max',
  'first_ai_reply_at',
  'handoffs',
  'handoff_reasons',
  'first_handoff_at',
  'ai_resolved',
  'resolved_at',
  'cost_usd',
  'cost_model_usd',
  'cost_transcription_usd',
  'cost_vision_usd',
  'cost_whatsapp_usd',
  'cost_embedding_usd',
  'input_tokens',
  'cached_input_tokens',
  'output_tokens',
  'reasoning_tokens',
  'model_calls',
  'tool_calls',
  'transcriptions',
  'vision_calls',
  'knowledge_searches',
  'knowledge_misses',
] as const;

/** Columns of the message export (one row per message, private notes included and marked). */
export const MESSAGE_EXPORT_COLUMNS = [
  'occurred_at',
  'account_id',
  'conversation_id',
  'message_id',
  'event_id',
  'direction',
  'author',
  'content_type',
  'is_private',
  'text',
  'attachments',
  'attachment_types',
  'attachment_urls',
  'attachment_media_paths',
  'template',
  'channel',
  'inbox_id',
  'assistant',
  'customer_id',
  'customer_phone',
  'delivery_status',
  'delivery_error',
] as const;

type Row = Record<string, unknown>;

export interface ExportOptions {
  pageSize?: number;
  maxRows?: number;
}

/**
 * Rows one page at a time (keyset pagination), so memory holds one page whatever the export's
 * size. Pages rather than one streamed query because chdb (local mode) buffers a whole result;
 * on a server each page streams too. Conversations are in conversation id order, messages in
 * time order.
 */
export async function* exportRows(
  ch: Pick<ClickHouse, 'client'>,
  kind: ExportKind,
  accountId: number,
  filters: Filters,
  options: ExportOptions = {},
): AsyncGenerator<Row[]> {
  const pageSize = options.pageSize ?? 20_000;
  const maxRows = options.maxRows ?? Number.MAX_SAFE_INTEGER;
  let sent = 0;
  let after: { id: number } | { at: string; id: string } | null = null;
  for (;;) {
    const limit = Math.min(pageSize, maxRows - sent);
    if (limit <= 0) return;
    const page: Row[] =
      kind === 'conversations'
        ? await conversationPage(ch, accountId, filters, (after as { id: number } | null)?.id ?? -1, limit)
        : await messagePage(ch, accountId, filters, after as { at: string; id: string } | null, limit);
    if (page.length === 0) return;
    sent += page.length;
    yield page;
    if (page.length < limit) return;
    const last = page[page.length - 1]!;
    after =
      kind === 'conversations'
        ? { id: Number(last.conversation_id) }
        : { at: String(last.occurred_at), id: String(last.event_id) };
  }
}

async function conversationPage(
  ch: Pick<ClickHouse, 'client'>,
  accountId: number,
  filters: Filters,
  afterId: number,
  limit: number,
): Promise<Row[]> {
  const f = buildFilter(accountId, filters, 'started_at');
  const columns = CONVERSATION_EXPORT_COLUMNS.map((c) =>
    c === 'handoff_reasons'
      ? `arrayStringConcat(arraySort(handoff_reasons), '|') AS handoff_reasons`
      : c.startsWith('cost_')
        ? `toString(${c}) AS ${c}`
        : c === 'response_ms_avg'
          ? 'round(response_ms_avg) AS response_ms_avg'
          : c,
  );
  const result = await ch.client.query({
    query: `SELECT ${columns.join(', ')} FROM conversations_summary
             WHERE ${f.where} AND conversation_id > {after:Int64}
             ORDER BY conversation_id LIMIT {limit:UInt32}`,
    query_params: { ...f.params, after: afterId, limit },
    format: 'JSONEachRow',
  });
  return result.json<Row>();
}

async function messagePage(
  ch: Pick<ClickHouse, 'client'>,
  accountId: number,
  filters: Filters,
  after: { at: string; id: string } | null,
  limit: number,
): Promise<Row[]> {
  const f = buildFilter(accountId, filters, 'occurred_at');
  const keyset = after
    ? `AND (occurred_at > {afterAt:DateTime64(3)} OR (occurred_at = {afterAt:DateTime64(3)} AND id > {afterId:UUID}))`
    : '';
  const columns = MESSAGE_EXPORT_COLUMNS.filter((c) => !c.startsWith('delivery_')).map((c) =>
    c === 'event_id'
      ? 'id AS event_id'
      : c === 'attachment_types'
        ? `arrayStringConcat(attachment_types, '|') AS attachment_types`
        : (ATTACHMENT_LINK_COLUMNS[c] ?? c),
  );
  const result = await ch.client.query({
    query: `SELECT ${columns.join(', ')} FROM ${EVENTS}
             WHERE ${f.where} AND type = 'message' ${keyset}
             ORDER BY occurred_at, id LIMIT {limit:UInt32}`,
    query_params: {
      ...f.params,
      limit,
      ...(after ? { afterAt: after.at.replace('T', ' ').replace('Z', ''), afterId: after.id } : {}),
    },
    format: 'JSONEachRow',
  });
  return withDeliveryStatus(ch, accountId, await result.json<Row>());
}

/**
 * Delivery status of each message: `failed` (with the channel's error) when a delivery_failure
 * event names it, `sent` for other outgoing messages (accepted by Chatwoot), `received` for the
 * customer's, '' for private notes. A failed message is never reported as sent.
 */
async function withDeliveryStatus(
  ch: Pick<ClickHouse, 'client'>,
  accountId: number,
  page: Row[],
): Promise<Row[]> {
  const ids = page.map((row) => Number(row.message_id)).filter((id) => id > 0);
  const failures = new Map<number, string>();
  if (ids.length > 0) {
    const result = await ch.client.query({
      query: `SELECT message_id, argMax(error, occurred_at) AS error FROM ${EVENTS}
               WHERE account_id = {account:Int64} AND type = 'delivery_failure'
                 AND message_id IN {ids:Array(Int64)}
               GROUP BY message_id`,
      query_params: { account: accountId, ids },
      format: 'JSONEachRow',
    });
    for (const row of await result.json<{ message_id: number | string; error: string }>())
      failures.set(Number(row.message_id), row.error);
  }
  return page.map((row) => {
    const error = failures.get(Number(row.message_id));
    const status = row.is_private
      ? ''
      : error !== undefined
        ? 'failed'
        : row.direction === 'inbound'
          ? 'received'
          : 'sent';
    return { ...row, delivery_status: status, delivery_error: error ?? '' };
  });
}

/**
 * Columns whose ClickHouse type is text (times, names, phone numbers, message text): their cells are
 * neutralised whatever the value looks like (a phone number is text). Every other export column
 * is a number (ids, counts, Decimal costs sent as strings, averages, booleans) and is written as
 * one; a value there that is not a plain number is still treated as text by safeCell.
 */
const TEXT_EXPORT_COLUMNS: ReadonlySet<string> = new Set([
  'started_at',
  'last_event_at',
  'first_message_at',
  'last_message_at',
  'first_ai_reply_at',
  'first_handoff_at',
  'resolved_at',
  'occurred_at',
  'status',
  'channel',
  'assistant',
  'customer_phone',
  'handoff_reasons',
  'event_id',
  'direction',
  'author',
  'content_type',
  'text',
  'attachment_types',
  'attachment_urls',
  'attachment_media_paths',
  'template',
  'delivery_status',
  'delivery_error',
]);

const plainNumber = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

/**
 * Spreadsheet formula injection (OWASP's rule): a text cell starting with = + - @ tab or CR is
 * prefixed with ' so no spreadsheet evaluates it, including `-2+3+cmd|' /C calc'!A0` and a phone
 * number `+5511…` (text, so the quote also keeps its leading + from being eaten as a sign).
 * Numeric columns stay numbers; a value there that is not a plain number is treated as text.
 */
export function safeCell(column: string, value: unknown): unknown {
  if (!TEXT_EXPORT_COLUMNS.has(column) && (typeof value !== 'string' || plainNumber.test(value))) {
    return value;
  }
  // A number (not a string) cannot carry a formula, whichever column it is in.
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The export as a byte stream in the chosen format, header row first for CSV. */
export function exportStream(pages: AsyncIterable<Row[]>, kind: ExportKind, format: ExportFormat): Readable {
  const columns = [...(kind === 'conversations' ? CONVERSATION_EXPORT_COLUMNS : MESSAGE_EXPORT_COLUMNS)];
  async function* serialise(): AsyncGenerator<string> {
    if (format === 'csv') yield stringify([columns]);
    for await (const page of pages) {
      if (format === 'ndjson') {
        yield page.map((row) => JSON.stringify(row)).join('\n') + '\n';
      } else {
        yield stringify(page.map((row) => columns.map((c) => safeCell(c, row[c]))));
      }
    }
  }
  return Readable.from(serialise());
}
