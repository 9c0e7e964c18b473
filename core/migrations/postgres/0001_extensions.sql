-- Up Migration
-- pgvector lives in public so that every schema (one per test, or a tenant's) can use the type.
CREATE EXTENSION IF NOT EXISTS vector SCHEMA public;

-- Down Migration
-- Extensions are shared by every schema in the database: never dropped by a rollback.
