import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { createOfflineEmbedder } from '../src/embedding/offline-embedder.js';
import { ingestTexts } from '../src/ingest/ingest-paths.js';
import { createKnowledgeBase } from '../src/knowledge-bases/create-knowledge-base.js';
import { HNSW_EF_SEARCH, searchKnowledgeBases } from '../src/search/search-knowledge-bases.js';
import { approximateTop, exactTop, loadClusteredVectors, makeQueries } from './clustered-vectors.js';
import { sampleDocuments } from './sample-corpus.js';

/**
 * Knowledge-base benchmark (issue 6):
 * 1. ingest throughput with the offline embedder (chunks/s, end to end: split, embed, write);
 * 2. vector search p50/p99 and recall@10 against exact search on clustered 384-d vectors:
 *    100k on a real PostgreSQL + pgvector (BENCH_DATABASE_URL or TEST_DATABASE_URL; target
 *    p50 < 5 ms with recall@10 >= 0.95), and on PGlite (same N; BENCH_PGLITE_VECTORS for a
 *    quicker run: its HNSW build takes minutes).
 */
const N_SERVER = Number(process.env.BENCH_VECTORS ?? 100_000);
const N_PGLITE = Number(process.env.BENCH_PGLITE_VECTORS ?? 100_000);
const DIMENSIONS = 384;
const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);
const EXACT_QUERIES = 100;
const EF_SEARCH = [40, 100, 200];
const DOCUMENTS = Number(process.env.BENCH_DOCUMENTS ?? 150);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
const fmt = (n: number, digits = 1) => n.toFixed(digits);

async function withDatabase<T>(server: string | null, run: (db: TestDatabase) => Promise<T>): Promise<T> {
  const saved = process.env.TEST_DATABASE_URL;
  if (server) process.env.TEST_DATABASE_URL = server;
  else delete process.env.TEST_DATABASE_URL;
  const db = await createTestDatabase({ poolSize: 3 });
  if (saved === undefined) delete process.env.TEST_DATABASE_URL;
  else process.env.TEST_DATABASE_URL = saved;
  try {
    return await run(db);
  } finally {
    await db.drop();
  }
}

async function ingestBenchmark(db: TestDatabase): Promise<string[]> {
  const offline = createOfflineEmbedder();
  const documents = sampleDocuments(DOCUMENTS);
  // The embedder alone, for the breakdown.
  const texts = documents.flatMap((d) => d.text.split('\n\n'));
  let started = performance.now();
  await offline.embed(texts);
  const embedPerSecond = texts.length / ((performance.now() - started) / 1000);

  await createKnowledgeBase(db.pool, { accountId: 1, name: 'bench-ingest' });
  started = performance.now();
  const summary = await ingestTexts(db.pool, {
    accountId: 1,
    kb: 'bench-ingest',
    documents,
    embedder: offline,
  });
  const seconds = (performance.now() - started) / 1000;
  started = performance.now();
  const again = await ingestTexts(db.pool, {
    accountId: 1,
    kb: 'bench-ingest',
    documents,
    embedder: offline,
  });
  const syncSeconds = (performance.now() - started) / 1000;

  const latencies: number[] = [];
  for (const query of [
    'how long does a refund take',
    'can you assemble my wardrobe',
    'is my card number stored',
    'when do parcels leave',
  ]) {
    for (let r = 0; r < 5; r++) {
      const result = await searchKnowledgeBases(
        db.pool,
        { accountId: 1, knowledgeBases: ['bench-ingest'], query },
        { record: false },
      );
      latencies.push(result.latencyMs);
    }
  }
  latencies.sort((a, b) => a - b);
  return [
    `${db.kind.padEnd(7)} ingest ${summary.added} documents, ${summary.chunks} chunks: ${fmt(summary.chunks / seconds, 0)} chunks/s ` +
      `(${fmt(summary.added / seconds)} documents/s; offline embedder alone ${fmt(embedPerSecond, 0)} texts/s)`,
    `${db.kind.padEnd(7)} re-sync of the same ${again.unchanged} unchanged documents: ${fmt(syncSeconds, 2)} s (nothing re-embedded: ${again.embeddings} embeddings)`,
    `${db.kind.padEnd(7)} hybrid search over ${summary.chunks} chunks, end to end (embed + SQL + fuse): p50 ${percentile(latencies, 0.5)} ms, p99 ${percentile(latencies, 0.99)} ms`,
  ];
}

async function vectorBenchmark(db: TestDatabase, n: number): Promise<string[]> {
  const kb = await createKnowledgeBase(db.pool, {
    accountId: 1,
    name: 'bench-vectors',
    embedding: {
      provider: 'openai-compatible',
      model: 'bench-384',
      dimensions: DIMENSIONS,
      baseUrl: 'http://127.0.0.1:9/v1',
    },
  });
  const load = await loadClusteredVectors(db.pool, kb, n, DIMENSIONS);
  const queries = await makeQueries(db.pool, QUERIES);
  const truth: string[][] = [];
  const exactTimes: number[] = [];
  for (const query of queries.slice(0, EXACT_QUERIES)) {
    const started = performance.now();
    truth.push(await exactTop(db.pool, kb, query, 10));
    exactTimes.push(performance.now() - started);
  }
  exactTimes.sort((a, b) => a - b);
  const lines = [
    `${db.kind.padEnd(7)} ${n} x ${DIMENSIONS}-d clustered vectors: generated in ${fmt(load.insertSeconds)} s, HNSW (m 16, ef_construction 64) built in ${fmt(load.indexSeconds)} s`,
    `${db.kind.padEnd(7)} exact search (baseline): p50 ${fmt(percentile(exactTimes, 0.5))} ms`,
  ];
  const client = await db.pool.connect();
  try {
    for (const ef of EF_SEARCH) {
      await client.query('BEGIN');
      await client.query(`SET LOCAL hnsw.ef_search = ${ef}`);
      for (const query of queries.slice(0, 10)) await approximateTop(client, kb, query, 10); // warm-up
      const times: number[] = [];
      let found = 0;
      for (let i = 0; i < queries.length; i++) {
        const { ids, ms } = await approximateTop(client, kb, queries[i]!, 10);
        times.push(ms);
        if (i < truth.length) found += ids.filter((id) => truth[i]!.includes(id)).length;
      }
      await client.query('COMMIT');
      times.sort((a, b) => a - b);
      const recall = found / (truth.length * 10);
      const p50 = percentile(times, 0.5);
      const target =
        db.kind === 'server' ? (p50 < 5 && recall >= 0.95 ? 'target met' : 'target NOT met') : 'no target';
      lines.push(
        `${db.kind.padEnd(7)} HNSW ef_search ${String(ef).padEnd(3)}: p50 ${fmt(p50, 2)} ms, p99 ${fmt(percentile(times, 0.99), 2)} ms, ` +
          `recall@10 ${recall.toFixed(3)} (vs exact p50 ${fmt(percentile(exactTimes, 0.5))} ms: ${fmt(percentile(exactTimes, 0.5) / p50, 0)}x faster) ${ef === HNSW_EF_SEARCH ? `[search default] ${target}` : ''}`,
      );
    }
  } finally {
    client.release();
  }
  return lines;
}

export default async function knowledgeBenchmark(): Promise<void> {
  const server = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? null;
  const lines: string[] = [];
  if (server) {
    lines.push(
      ...(await withDatabase(server, async (db) => [
        ...(await ingestBenchmark(db)),
        ...(await vectorBenchmark(db, N_SERVER)),
      ])),
    );
  } else {
    lines.push(
      'server  skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL (bash scripts/postgres-test-server.sh prints one)',
    );
  }
  lines.push(
    ...(await withDatabase(null, async (db) => [
      ...(await ingestBenchmark(db)),
      ...(await vectorBenchmark(db, N_PGLITE)),
    ])),
  );
  console.log(lines.join('\n'));
  console.log(
    `Target (real server): vector search p50 < 5 ms with recall@10 >= 0.95 at the search default ef_search ${HNSW_EF_SEARCH}.`,
  );
}
