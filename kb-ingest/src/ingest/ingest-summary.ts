import { Decimal } from 'decimal.js';
import type { KnowledgeBase } from '../knowledge-bases/knowledge-base.js';
import { toFailure } from './collect-sources.js';
import type { IngestSummary } from './ingest-options.js';
import type { EmbeddedDocument } from './replace-document.js';

/** Counts a run's outcomes into its IngestSummary (cost summed exactly, as a decimal). */
export function createSummaryRecorder(kb: KnowledgeBase) {
  const started = performance.now();
  let cost = new Decimal(0);
  const summary: IngestSummary = {
    knowledgeBase: kb.name,
    added: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
    skipped: [],
    pruned: 0,
    chunks: 0,
    embeddings: 0,
    tokens: 0,
    costUsd: '0',
    failures: [],
    interrupted: false,
    durationMs: 0,
    documents: [],
  };
  return {
    unchanged(source: string): void {
      summary.unchanged += 1;
      summary.documents.push({ source, outcome: 'unchanged', chunks: 0 });
    },
    failed(source: string, error: unknown): void {
      summary.failed += 1;
      summary.failures.push(toFailure(source, error));
      summary.documents.push({ source, outcome: 'failed', chunks: 0 });
    },
    written(doc: EmbeddedDocument, result: { created: boolean; version: number }): void {
      cost = cost.plus(doc.usage.costUsd);
      summary.chunks += doc.chunks.length;
      summary.embeddings += doc.vectors.length;
      summary.tokens += doc.tokens;
      const outcome = result.created ? 'added' : 'updated';
      summary[outcome] += 1;
      summary.documents.push({
        source: doc.loaded.source,
        outcome,
        chunks: doc.chunks.length,
        version: result.version,
      });
    },
    interrupted(): void {
      summary.interrupted = true;
    },
    finish(): IngestSummary {
      summary.costUsd = cost.toFixed(12).replace(/\.?0+$/, '') || '0';
      summary.durationMs = Math.round(performance.now() - started);
      return summary;
    },
  };
}
