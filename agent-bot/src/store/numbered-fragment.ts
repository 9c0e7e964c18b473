import type { Sql } from 'sql-template-tag';

/**
 * A composed fragment rendered for a statement still written with numbered placeholders: its
 * parameters are numbered from `firstParam`. Transitional: statements move to sql-template-tag
 * as a whole, and then nothing counts placeholders.
 */
export function numberedFragment(fragment: Sql, firstParam: number): { sql: string; values: unknown[] } {
  const sql = fragment.strings.reduce((text, part, i) => `${text}$${firstParam + i - 1}${part}`);
  return { sql, values: fragment.values };
}
