import cliProgress from 'cli-progress';
import type { IngestProgress } from '../ingest/ingest-sources.js';

/**
 * A progress bar for long runs (files, chunks and embeddings per second), only on a
 * terminal and never with --json, where stdout belongs to the result.
 */
export function createProgressReporter(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  enabled: boolean,
): { update(progress: IngestProgress): void; stop(): void } {
  if (!enabled || !stream.isTTY) return { update: () => undefined, stop: () => undefined };
  const started = performance.now();
  const bar = new cliProgress.SingleBar(
    {
      stream: stream as NodeJS.WritableStream,
      format:
        '{bar} {value}/{total} files | {chunks} chunks | {fps} files/s {cps} chunks/s {eps} embeddings/s | {current}',
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  let active = false;
  return {
    update(progress) {
      const seconds = Math.max(0.001, (performance.now() - started) / 1000);
      const payload = {
        chunks: progress.chunks,
        fps: (progress.sourcesDone / seconds).toFixed(1),
        cps: (progress.chunks / seconds).toFixed(0),
        eps: (progress.embeddings / seconds).toFixed(0),
        current: (progress.current ?? '').slice(-40),
      };
      if (!active) {
        bar.start(progress.sourcesTotal, progress.sourcesDone, payload);
        active = true;
      } else bar.update(progress.sourcesDone, payload);
    },
    stop() {
      if (active) bar.stop();
    },
  };
}
