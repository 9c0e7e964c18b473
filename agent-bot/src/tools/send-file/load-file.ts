import fs from 'node:fs/promises';
import path from 'node:path';
import type { FileConfig, ToolsConfig } from '@switchboard/core';
import { fileTypeFromBuffer } from 'file-type';
import type pg from 'pg';

/**
 * Loads a configured file for sending: from its URL, or from a knowledge-base document
 * (kb-ingest stores text, not bytes, so the document's source is fetched again: its URL, or
 * its path under the folder it was uploaded from). Size and type are checked before anything
 * is uploaded: WhatsApp rejects oversized media only after Chatwoot has accepted the message.
 */
export interface LoadedFile {
  data: Uint8Array;
  contentType: string;
  fileName: string;
  title?: string;
}

export class FileRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileRejectedError';
  }
}

type Limits = ToolsConfig['fileLimits'];

/** WhatsApp Cloud media limits by kind (documents 100 MB); the configured cap applies too. */
function whatsappLimit(contentType: string): number {
  if (contentType.startsWith('image/')) return 5 * 1024 * 1024;
  if (contentType.startsWith('video/') || contentType.startsWith('audio/')) return 16 * 1024 * 1024;
  return 100 * 1024 * 1024;
}

const TEXT_TYPES: Record<string, string> = { '.csv': 'text/csv', '.txt': 'text/plain', '.md': 'text/plain' };

export async function loadFile(
  file: FileConfig,
  options: { accountId: number; limits: Limits; pool?: pg.Pool; fetch?: typeof fetch },
): Promise<LoadedFile> {
  let bytes: Uint8Array;
  let declaredType = file.contentType;
  let title: string | undefined;
  if (file.url) {
    const fetched = await download(file.url, options.limits, options.fetch);
    bytes = fetched.data;
    declaredType ??= fetched.contentType;
  } else {
    const reference = file.knowledgeDocument!;
    if (!options.pool) throw new FileRejectedError('Knowledge-base files are not available in this setup.');
    const found = await options.pool.query<{ source: string; title: string; content_type: string }>(
      `SELECT d.source, d.title, d.content_type FROM kb_documents d
         JOIN kb_knowledge_bases kb ON kb.id = d.knowledge_base_id
        WHERE kb.account_id = $1 AND kb.name = $2 AND kb.state = 'active' AND d.source = $3`,
      [options.accountId, reference.knowledgeBase, reference.source],
    );
    const document = found.rows[0];
    if (!document) throw new FileRejectedError('That document is no longer in the knowledge base.');
    title = document.title;
    declaredType ??= document.content_type;
    if (/^https?:\/\//.test(document.source)) {
      bytes = (await download(document.source, options.limits, options.fetch)).data;
    } else {
      if (!reference.root) throw new FileRejectedError('The document has no location to send it from.');
      bytes = await readUnder(reference.root, document.source, options.limits.maxBytes);
    }
  }
  const contentType = await checkType(bytes, declaredType, file.fileName, options.limits);
  if (bytes.byteLength > Math.min(options.limits.maxBytes, whatsappLimit(contentType))) {
    throw new FileRejectedError(
      `The file is too large to send on WhatsApp (${Math.ceil(bytes.byteLength / 1024)} KB).`,
    );
  }
  return { data: bytes, contentType, fileName: file.fileName, ...(title ? { title } : {}) };
}

async function download(
  url: string,
  limits: Limits,
  fetchImpl: typeof fetch = fetch,
): Promise<{ data: Uint8Array; contentType?: string }> {
  let response: Response;
  try {
    response = await fetchImpl(url, { signal: AbortSignal.timeout(limits.fetchTimeoutMs) });
  } catch {
    throw new FileRejectedError('The file could not be fetched right now.');
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new FileRejectedError(`The file could not be fetched (HTTP ${response.status}).`);
  }
  if (Number(response.headers.get('content-length') ?? 0) > limits.maxBytes) {
    await response.body?.cancel();
    throw new FileRejectedError('The file is too large to send.');
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body?.getReader();
  for (;;) {
    if (!reader) break;
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limits.maxBytes) {
      await reader.cancel();
      throw new FileRejectedError('The file is too large to send.');
    }
    chunks.push(value);
  }
  const contentType = response.headers.get('content-type')?.split(';')[0]?.trim();
  return { data: new Uint8Array(Buffer.concat(chunks)), ...(contentType ? { contentType } : {}) };
}

/** Reads a file that must stay inside `root` (a source like ../../etc/passwd is refused). */
async function readUnder(root: string, source: string, maxBytes: number): Promise<Uint8Array> {
  const base = path.resolve(root);
  const target = path.resolve(base, source);
  if (target !== base && !target.startsWith(base + path.sep))
    throw new FileRejectedError('The document path is not allowed.');
  let stat;
  try {
    stat = await fs.stat(target);
  } catch {
    throw new FileRejectedError('The document file is missing.');
  }
  if (!stat.isFile()) throw new FileRejectedError('The document file is missing.');
  if (stat.size > maxBytes) throw new FileRejectedError('The file is too large to send.');
  return new Uint8Array(await fs.readFile(target));
}

/**
 * The type is taken from the bytes when they have a signature (so a renamed executable is not
 * sent as a PDF); text formats have none and fall back to the declared type or the extension.
 */
async function checkType(
  bytes: Uint8Array,
  declared: string | undefined,
  fileName: string,
  limits: Limits,
): Promise<string> {
  const sniffed = await fileTypeFromBuffer(bytes);
  const declaredBase = declared?.split(';')[0]?.trim().toLowerCase();
  let contentType: string | undefined;
  if (sniffed) {
    contentType = sniffed.mime;
  } else if (declaredBase?.startsWith('text/')) {
    contentType = declaredBase;
  } else {
    contentType = TEXT_TYPES[path.extname(fileName).toLowerCase()];
  }
  if (!contentType || !limits.allowedContentTypes.includes(contentType)) {
    throw new FileRejectedError(`This type of file (${contentType ?? 'unknown'}) may not be sent.`);
  }
  return contentType;
}
