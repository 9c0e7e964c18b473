-- Up Migration
-- Knowledge bases belong to one Chatwoot account; every table carries account_id so that each
-- query can (and does) filter on the tenant, not only on a knowledge base id.
CREATE TABLE kb_knowledge_bases (
  id                  bigserial PRIMARY KEY,
  account_id          bigint NOT NULL,
  name                text NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$'),
  description         text NOT NULL DEFAULT '',
  -- A PostgreSQL text search configuration (english, spanish, simple, ...).
  language            text NOT NULL DEFAULT 'english',
  embedding_provider  text NOT NULL,
  embedding_model     text NOT NULL,
  dimensions          integer NOT NULL CHECK (dimensions BETWEEN 1 AND 4000),
  -- baseUrl and apiKeyEnv (the name of the variable, never a key).
  embedding_options   jsonb NOT NULL DEFAULT '{}',
  min_score           real,
  -- building: a re-embedding copy that replaces `replaces_id` once complete.
  state               text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'building')),
  replaces_id         bigint REFERENCES kb_knowledge_bases (id) ON DELETE CASCADE,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX kb_knowledge_bases_active_name ON kb_knowledge_bases (account_id, name) WHERE state = 'active';
CREATE UNIQUE INDEX kb_knowledge_bases_one_build ON kb_knowledge_bases (replaces_id) WHERE state = 'building';

CREATE TABLE kb_documents (
  id                  bigserial PRIMARY KEY,
  knowledge_base_id   bigint NOT NULL REFERENCES kb_knowledge_bases (id) ON DELETE CASCADE,
  account_id          bigint NOT NULL,
  -- Path relative to the uploaded folder, file name, or URL: the identity used by sync.
  source              text NOT NULL,
  title               text NOT NULL,
  content_type        text NOT NULL,
  -- sha256 of the source's bytes.
  checksum            text NOT NULL,
  -- Chunking settings and metadata the chunks were made with: a change re-processes the document.
  fingerprint         text NOT NULL,
  version             integer NOT NULL DEFAULT 1,
  metadata            jsonb NOT NULL DEFAULT '{}',
  byte_size           bigint NOT NULL DEFAULT 0,
  chunk_count         integer NOT NULL DEFAULT 0,
  token_count         integer NOT NULL DEFAULT 0,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (knowledge_base_id, source)
);
CREATE INDEX kb_documents_account ON kb_documents (account_id);

-- `embedding` has no fixed dimension: each knowledge base gets a partial HNSW index on
-- (embedding::vector(d)) WHERE knowledge_base_id = its id, created with the knowledge base.
CREATE TABLE kb_chunks (
  id                  bigserial PRIMARY KEY,
  knowledge_base_id   bigint NOT NULL REFERENCES kb_knowledge_bases (id) ON DELETE CASCADE,
  document_id         bigint NOT NULL REFERENCES kb_documents (id) ON DELETE CASCADE,
  account_id          bigint NOT NULL,
  ordinal             integer NOT NULL,
  content             text NOT NULL,
  metadata            jsonb NOT NULL DEFAULT '{}',
  search_text         tsvector NOT NULL,
  embedding           vector NOT NULL
);
CREATE INDEX kb_chunks_document ON kb_chunks (document_id);
CREATE INDEX kb_chunks_knowledge_base ON kb_chunks (knowledge_base_id);
CREATE INDEX kb_chunks_search_text ON kb_chunks USING gin (search_text);
CREATE INDEX kb_chunks_metadata ON kb_chunks USING gin (metadata jsonb_path_ops);

-- Down Migration
DROP TABLE kb_chunks;
DROP TABLE kb_documents;
DROP TABLE kb_knowledge_bases;
