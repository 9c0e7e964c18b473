import type { ClickHouse } from '@switchboard/core';
import type { AlertDefinition } from '../alerts/alert-rules.js';
import { runGrafanaQuery } from './run-grafana-query.js';

export interface AlertInstance {
  /** The string columns of the row: Grafana turns them into the instance's labels. */
  labels: Record<string, string>;
  value: number;
  firing: boolean;
}

/**
 * Evaluates a rule the way Grafana does for a table-format result: each row is one alert
 * instance labelled by its string columns, its number goes through Reduce (last: a single
 * number passes unchanged) and the threshold (B > limit). No rows = no data.
 */
export async function evaluateAlert(
  ch: ClickHouse,
  definition: AlertDefinition,
  now: Date,
): Promise<AlertInstance[]> {
  const from = new Date(now.getTime() - definition.lookbackSeconds * 1000);
  const rows = await runGrafanaQuery<Record<string, unknown>>(ch, definition.sql, {
    from,
    to: now,
    intervalMs: 60_000,
  });
  return rows.map((row) => {
    const labels: Record<string, string> = {};
    const numbers: number[] = [];
    for (const [column, cell] of Object.entries(row)) {
      if (typeof cell === 'string') labels[column] = cell;
      else numbers.push(Number(cell));
    }
    if (numbers.length !== 1)
      throw new Error(`${definition.uid}: expected one number per row, got ${numbers.length}`);
    const value = numbers[0]!;
    return { labels, value, firing: value > definition.above };
  });
}
