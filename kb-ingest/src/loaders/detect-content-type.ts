import path from 'node:path';
import type { ContentType } from './loaded-source.js';

const BY_EXTENSION: Record<string, ContentType> = {
  '.pdf': 'pdf',
  '.docx': 'docx',
  '.html': 'html',
  '.htm': 'html',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.mdx': 'markdown',
  '.txt': 'text',
  '.text': 'text',
  '.csv': 'csv',
  '.json': 'json',
  '.jsonl': 'json',
  '.ndjson': 'json',
};

export const SUPPORTED_EXTENSIONS = Object.keys(BY_EXTENSION);

/** By the server's Content-Type first (URLs), then the name's extension; null: unsupported. */
export function detectContentType(name: string, mimeType?: string | null): ContentType | null {
  const mime = mimeType?.split(';')[0]?.trim().toLowerCase();
  if (mime === 'application/pdf') return 'pdf';
  if (mime === 'text/html' || mime === 'application/xhtml+xml') return 'html';
  if (mime === 'text/markdown') return 'markdown';
  if (mime === 'text/csv') return 'csv';
  if (mime === 'application/json') return 'json';
  if (mime === 'application/vnd.openxmlformats-officedocument.wordprocessingml.document') return 'docx';
  const byName = BY_EXTENSION[path.extname(name).toLowerCase()];
  if (byName) return byName;
  if (mime === 'text/plain') return 'text';
  return null;
}
