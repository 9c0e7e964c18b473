import { Document } from '@langchain/core/documents';
import { LoadError, titleFromFileName, type LoaderInput, type LoaderOutput } from './loaded-source.js';

/**
 * CSV and JSON: one Document per record (a price-list row, an FAQ entry), written as
 * `field: value` lines so both the words and the field names are searchable, and never
 * merged with a neighbour: a passage is one whole record.
 */
export function loadCsv(input: LoaderInput): LoaderOutput {
  const rows = parseCsv(input.bytes.toString('utf8').replace(/^\uFEFF/, ''));
  const [header, ...records] = rows.filter((row) => row.some((cell) => cell.trim() !== ''));
  if (!header) return { title: titleFromFileName(input.fileName), documents: [] };
  const names = header.map((name, i) => name.trim() || `column ${i + 1}`);
  const documents = records.map((row, i) =>
    recordDocument(Object.fromEntries(names.map((name, c) => [name, row[c] ?? ''])), i + 1),
  );
  return { title: titleFromFileName(input.fileName), documents };
}

export function loadJson(input: LoaderInput): LoaderOutput {
  const text = input.bytes
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trim();
  let records: unknown[];
  try {
    if (/\.(jsonl|ndjson)$/i.test(input.fileName)) {
      records = text
        .split('\n')
        .filter((l) => l.trim())
        .map((line) => JSON.parse(line) as unknown);
    } else {
      const parsed = JSON.parse(text) as unknown;
      records = Array.isArray(parsed) ? parsed : [parsed];
    }
  } catch (error) {
    throw new LoadError(input.source, `invalid JSON (${(error as Error).message})`);
  }
  const documents = records
    .map((record, i) =>
      record !== null && typeof record === 'object'
        ? recordDocument(record as Record<string, unknown>, i + 1)
        : recordDocument({ value: record }, i + 1),
    )
    .filter((doc) => doc.pageContent.trim() !== '');
  return { title: titleFromFileName(input.fileName), documents };
}

function recordDocument(record: Record<string, unknown>, row: number): Document {
  const lines = Object.entries(record)
    .filter(([, value]) => value !== null && value !== undefined && String(value).trim() !== '')
    .map(
      ([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value).trim()}`,
    );
  return new Document({ pageContent: lines.join('\n'), metadata: { row, record: true } });
}

/** RFC 4180: quoted fields, doubled quotes, newlines inside quotes; `,` or `;` (sniffed). */
export function parseCsv(text: string): string[][] {
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
