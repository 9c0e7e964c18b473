/** Something to ingest, before it is read. */
export type SourceRef =
  | { kind: 'file'; source: string; path: string }
  | { kind: 'url'; source: string; url: string }
  | {
      kind: 'text';
      source: string;
      text: string;
      title?: string;
      contentType?: 'markdown' | 'text' | 'html';
      metadata?: Record<string, string>;
    };

export interface IngestFailure {
  source: string;
  reason: string;
}
