import type { ClickHouse } from '@switchboard/core';
import { interpolateDashboardQuery, type VariableValues } from './grafana-interpolation.js';
import { expandMacros, type MacroContext } from './plugin-macros.js';

export interface QueryRun extends MacroContext {
  /** Dashboard variables as a person set them; alert queries take none. */
  variables?: VariableValues;
}

/** The SQL ClickHouse receives: browser interpolation, then the plugin's backend macros. */
export function finalSql(rawSql: string, run: QueryRun): string {
  const interpolated = run.variables ? interpolateDashboardQuery(rawSql, run.variables) : rawSql;
  return expandMacros(interpolated, run);
}

/** Runs a panel or alert query the way Grafana would and returns its rows. */
export async function runGrafanaQuery<T = Record<string, unknown>>(
  ch: ClickHouse,
  rawSql: string,
  run: QueryRun,
): Promise<T[]> {
  const query = finalSql(rawSql, run);
  try {
    const result = await ch.client.query({ query, format: 'JSONEachRow' });
    return await result.json<T>();
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- SQL sent ---\n${query}`, { cause: error });
  }
}
