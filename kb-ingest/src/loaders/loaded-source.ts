import { createHash } from 'node:crypto';
import type { Document } from '@langchain/core/documents';

export const CONTENT_TYPES = ['pdf', 'docx', 'html', 'markdown', 'text', 'csv', 'json'] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

/** One source (file, web page, string) read into LangChain Documents: sections or records. */
export interface LoadedSource {
  /** Identity for sync: path relative to the uploaded folder, file name, or URL. */
  source: string;
  title: string;
  contentType: ContentType;
  /** sha256 of the source's bytes. */
  checksum: string;
  byteSize: number;
  /** Markdown-like text (headings as `#` lines) or one record per Document. */
  documents: Document[];
}

/** One item that could not be loaded; the run goes on with the others. */
export class LoadError extends Error {
  constructor(
    readonly source: string,
    readonly reason: string,
  ) {
    super(`${source}: ${reason}`);
    this.name = 'LoadError';
  }
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** What a content loader gets: the bytes and where they came from. */
export interface LoaderInput {
  source: string;
  /** File name or last URL path segment, for titles. */
  fileName: string;
  bytes: Buffer;
}

export interface LoaderOutput {
  title: string;
  documents: Document[];
}

export function titleFromFileName(fileName: string): string {
  const base = fileName
    .replace(/\.[A-Za-z0-9]+$/, '')
    .replace(/[-_]+/g, ' ')
    .trim();
  return base === '' ? fileName : base.charAt(0).toUpperCase() + base.slice(1);
}
