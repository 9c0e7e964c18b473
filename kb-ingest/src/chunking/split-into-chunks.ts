import type { Document } from '@langchain/core/documents';
import { splitMarkdownSections } from './markdown-sections.js';

export interface ChunkingOptions {
  /** Characters per chunk, heading line included. */
  chunkSize: number;
  chunkOverlap: number;
}

export interface Chunk {
  /** Heading path line (when any) followed by the text: what is embedded, indexed and shown. */
  content: string;
  metadata: Record<string, unknown>;
}

/** Bump when the chunking changes, so that sync re-processes documents made the old way. */
export const CHUNKER_VERSION = 1;

/**
 * LangChain's RecursiveCharacterTextSplitter, applied per section rather than per
 * document: chunks never straddle two headings, and each starts with its heading path.
 * Records (CSV/JSON rows) stay whole unless a single record is longer than a chunk.
 */
export async function splitIntoChunks(
  documents: readonly Document[],
  options: ChunkingOptions,
): Promise<Chunk[]> {
  // Loaded on first use (about a second of start-up the other CLI commands do not need).
  const { RecursiveCharacterTextSplitter } = await import('@langchain/textsplitters');
  const chunks: Chunk[] = [];
  for (const document of documents) {
    const sections = document.metadata.record
      ? [{ headings: [], body: document.pageContent }]
      : splitMarkdownSections(document.pageContent);
    for (const section of sections) {
      const heading = section.headings.join(' > ');
      const room = Math.max(100, options.chunkSize - (heading ? heading.length + 1 : 0));
      const splitter = new RecursiveCharacterTextSplitter({
        chunkSize: room,
        chunkOverlap: Math.min(options.chunkOverlap, Math.floor(room / 2)),
        separators: ['\n\n', '\n', '. ', '? ', '! ', '; ', ', ', ' ', ''],
      });
      const pieces = await splitter.splitText(section.body);
      for (const piece of pieces) {
        const text = piece.trim();
        if (!text) continue;
        chunks.push({
          content: heading ? `${heading}\n${text}` : text,
          metadata: { ...document.metadata, ...(heading ? { section: heading } : {}) },
        });
      }
    }
  }
  return chunks;
}
