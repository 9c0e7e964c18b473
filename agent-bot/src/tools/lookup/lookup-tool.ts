import type { LookupConfig } from '@switchboard/core';
import { defineTool, type Tool } from '../tool.js';
import { runHttpLookup } from './http-lookup.js';
import { LookupError } from './lookup-error.js';
import { parameterSchema } from './lookup-parameters.js';
import type { SqlLookupRunner } from './sql-lookup.js';

/**
 * One tool per declared lookup, named after it (`order_status`). The model sees the operator's
 * description and parameters; the query or URL itself is never shown to it nor taken from it.
 */
export function createLookupTools(options: {
  lookups: Record<string, LookupConfig>;
  sql: SqlLookupRunner;
  fetch?: typeof fetch;
  /** Where the raw driver/HTTP detail of a failure goes (the model gets a plain sentence). */
  onFailure?: (lookup: string, error: LookupError) => void;
}): Tool[] {
  return Object.entries(options.lookups).map(([name, lookup]) =>
    defineTool({
      name,
      description: `${lookup.description} (Read-only lookup; at most ${lookup.maxRows} results.)`,
      parameters: parameterSchema(lookup.parameters),
      async execute(args) {
        try {
          if (lookup.kind === 'sql') {
            const values = lookup.parameters.map((p) => (args as Record<string, unknown>)[p.name] ?? null);
            const result = await options.sql.run(lookup, values);
            return result.rows.length === 0
              ? { found: false, rows: [] }
              : { found: true, rows: result.rows, ...(result.truncated ? { truncated: true } : {}) };
          }
          return await runHttpLookup(lookup, args as Record<string, unknown>, options.fetch);
        } catch (error) {
          // Rethrown: the loop records outcome=error and hands the model the plain sentence in
          // `message`; the driver detail goes to the operator's log only.
          if (error instanceof LookupError) options.onFailure?.(name, error);
          throw error;
        }
      },
    }),
  );
}
