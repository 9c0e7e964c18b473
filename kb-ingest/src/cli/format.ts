import type { IngestSummary } from '../ingest/ingest-sources.js';
import type { KnowledgeBase } from '../knowledge-bases/knowledge-base.js';

export function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells
    .map((r) =>
      r
        .map((c, i) => (c ?? '').padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function describeEmbedding(kb: KnowledgeBase): string {
  return `${kb.embedding.provider}/${kb.embedding.model} (${kb.embedding.dimensions}-d)`;
}

export function formatSummary(summary: IngestSummary): string {
  const lines = [
    `${summary.knowledgeBase}: ${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged, ` +
      `${summary.failed} failed${summary.pruned ? `, ${summary.pruned} pruned` : ''}`,
    `${summary.chunks} chunks, ${summary.embeddings} embeddings, ${summary.tokens} tokens, cost $${summary.costUsd}, ` +
      `${(summary.durationMs / 1000).toFixed(1)} s`,
  ];
  if (summary.skipped.length > 0) {
    const shown = summary.skipped.slice(0, 5).join(', ');
    lines.push(
      `  skipped ${summary.skipped.length} file(s) of unsupported types: ${shown}${summary.skipped.length > 5 ? ', ...' : ''}`,
    );
  }
  for (const failure of summary.failures) lines.push(`  failed: ${failure.source}: ${failure.reason}`);
  if (summary.interrupted)
    lines.push('Interrupted: finished documents are saved; run the same command again to resume.');
  return lines.join('\n');
}
