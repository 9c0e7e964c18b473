import path from 'node:path';
import { loadContent } from '../loaders/load-content.js';
import { loadFile } from '../loaders/load-file.js';
import { loadUrl } from '../loaders/load-url.js';
import type { LoadedSource } from '../loaders/loaded-source.js';
import { DEFAULT_INGEST, type IngestOptions } from './ingest-options.js';
import type { SourceRef } from './source-ref.js';

/** Reads one source (file, URL or inline text) into documents, within the size and time limits. */
export async function loadSource(ref: SourceRef, options: IngestOptions): Promise<LoadedSource> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_INGEST.maxFileBytes;
  switch (ref.kind) {
    case 'file':
      return loadFile(ref.path, ref.source, { maxBytes });
    case 'url':
      return loadUrl(ref.url, {
        maxBytes,
        timeoutMs: options.fetchTimeoutMs ?? DEFAULT_INGEST.fetchTimeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    case 'text': {
      const contentType = ref.contentType ?? 'markdown';
      const loaded = await loadContent(
        { source: ref.source, fileName: path.basename(ref.source), bytes: Buffer.from(ref.text, 'utf8') },
        contentType,
      );
      return ref.title ? { ...loaded, title: ref.title } : loaded;
    }
  }
}
