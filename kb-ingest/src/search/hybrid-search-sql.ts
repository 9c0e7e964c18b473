import type { KnowledgeBase } from '../knowledge-bases/knowledge-base.js';
import { knowledgeBaseIdLiteral, vectorExpression, vectorType } from '../knowledge-bases/vector-index.js';

/**
 * One knowledge base's candidates in one round trip: the nearest chunks by cosine distance
 * (through the knowledge base's own HNSW index: the id and the cast are inlined so the
 * planner matches the partial index) and the best full-text matches (OR of the query's
 * lexemes, ranked by ts_rank_cd), each with its rank in both lists, its cosine similarity
 * and the share of the query's words it contains.
 *
 * Parameters: $1 query vector (text), $2 query text, $3 candidates per list, $4 account id,
 * $5 metadata filter (jsonb) when `filtered`.
 */
export function hybridSearchSql(
  kb: KnowledgeBase,
  options: { filtered: boolean; withVector: boolean },
): string {
  const id = knowledgeBaseIdLiteral(kb.id);
  const lang = kb.language; // validated /^[a-z_]+$/ when read
  const expr = vectorExpression(kb, 'c.embedding');
  const query = `$1::${vectorType(kb.embedding.dimensions)}`;
  const filter = options.filtered ? 'AND c.metadata @> $5::jsonb' : '';
  const orQuery = `nullif(replace(plainto_tsquery('${lang}', $2)::text, ' & ', ' | '), '')::tsquery`;
  const vectorList = options.withVector
    ? `SELECT id, row_number() OVER (ORDER BY distance) AS rank FROM (
         SELECT c.id, ${expr} <=> ${query} AS distance FROM kb_chunks c
         WHERE c.knowledge_base_id = ${id} AND c.account_id = $4 ${filter}
         ORDER BY ${expr} <=> ${query} LIMIT $3) nearest`
    : `SELECT NULL::bigint AS id, NULL::bigint AS rank WHERE false AND $1::text IS NULL`;
  return `
    WITH vec AS MATERIALIZED (${vectorList}),
    txt AS MATERIALIZED (
      SELECT id, row_number() OVER (ORDER BY score DESC, id) AS rank FROM (
        SELECT c.id, ts_rank_cd(c.search_text, q.query) AS score
        FROM kb_chunks c, (SELECT ${orQuery} AS query) q
        WHERE c.knowledge_base_id = ${id} AND c.account_id = $4 ${filter}
          AND q.query IS NOT NULL AND c.search_text @@ q.query
        ORDER BY score DESC LIMIT $3) matches),
    lexemes AS (SELECT tsvector_to_array(to_tsvector('${lang}', $2)) AS list)
    SELECT c.id::text AS id, c.content, c.metadata, d.title, d.source,
           v.rank AS vector_rank, t.rank AS text_rank,
           ${options.withVector ? `1 - (${expr} <=> ${query})` : 'NULL::float8'} AS similarity,
           CASE WHEN cardinality(l.list) = 0 THEN 0 ELSE
             (SELECT count(*) FROM unnest(l.list) w WHERE c.search_text @@ quote_literal(w)::tsquery)::float8
               / cardinality(l.list) END AS coverage
    FROM (SELECT id FROM vec UNION SELECT id FROM txt) ids
    JOIN kb_chunks c ON c.id = ids.id
    JOIN kb_documents d ON d.id = c.document_id
    CROSS JOIN lexemes l
    LEFT JOIN vec v ON v.id = c.id
    LEFT JOIN txt t ON t.id = c.id
    WHERE c.account_id = $4`;
}

/** Only the vector half: what the benchmark measures against exact search. */
export function vectorSearchSql(kb: KnowledgeBase): string {
  const expr = vectorExpression(kb, 'c.embedding');
  const query = `$1::${vectorType(kb.embedding.dimensions)}`;
  return `SELECT c.id::text AS id FROM kb_chunks c
          WHERE c.knowledge_base_id = ${knowledgeBaseIdLiteral(kb.id)} AND c.account_id = $3
          ORDER BY ${expr} <=> ${query} LIMIT $2`;
}
