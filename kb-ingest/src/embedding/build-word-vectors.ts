// Builds the offline embedder's word-vector table ahead of time (Docker images, CI caches);
// otherwise it is built on first use. Usage: npm run -w @switchboard/kb-ingest build:word-vectors
import {
  buildWordVectorCache,
  defaultWordVectorCachePath,
  readWordVectorTable,
} from './word-vector-table.js';

const file = defaultWordVectorCachePath();
const started = performance.now();
buildWordVectorCache(file);
const built = performance.now();
const table = readWordVectorTable(file);
process.stdout.write(
  `${file}: ${table.size} words x ${table.dimensions} dimensions, built in ${((built - started) / 1000).toFixed(1)} s, ` +
    `loads in ${Math.round(performance.now() - built)} ms\n`,
);
