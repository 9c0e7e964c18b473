import type { Queryable } from '../db.js';
import { KnowledgeBaseError } from './knowledge-base.js';

/** Assistants configure languages as ISO codes; PostgreSQL names its configurations. */
const ISO_TO_CONFIG: Record<string, string> = {
  ar: 'arabic',
  da: 'danish',
  de: 'german',
  el: 'greek',
  en: 'english',
  es: 'spanish',
  fi: 'finnish',
  fr: 'french',
  hu: 'hungarian',
  id: 'indonesian',
  it: 'italian',
  nl: 'dutch',
  no: 'norwegian',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sv: 'swedish',
  tr: 'turkish',
};

/** Resolves `en`, `pt-BR` or `english` to an installed text search configuration. */
export async function resolveTextSearchLanguage(db: Queryable, language: string): Promise<string> {
  const lowered = language.trim().toLowerCase();
  const name = ISO_TO_CONFIG[lowered.split(/[-_]/)[0] ?? ''] ?? lowered;
  const { rows } = await db.query<{ cfgname: string }>(
    'SELECT cfgname FROM pg_ts_config WHERE cfgname = $1',
    [name],
  );
  if (rows.length === 0 || !/^[a-z_]+$/.test(name)) {
    throw new KnowledgeBaseError(
      `Unknown language "${language}": use an ISO code (en, es, pt, ...) or a PostgreSQL text search configuration (english, simple, ...).`,
    );
  }
  return name;
}
