/**
 * The ClickHouse plugin's backend macros, ported from grafana/clickhouse-datasource
 * pkg/macros/macros.go (v4.20) so tests expand `$__timeFilter(...)` & co. into exactly the SQL the
 * plugin sends to ClickHouse. Like the plugin (macropro), macros inside string literals,
 * backtick identifiers and comments are left alone, arguments are trimmed, nested macros work,
 * and unknown macros stay as written (ClickHouse then rejects them, which fails the test).
 */

export interface MacroContext {
  from: Date;
  to: Date;
  /** Grafana's computed interval for the panel (or the alert query's intervalMs). */
  intervalMs: number;
}

type Macro = (context: MacroContext, args: string[]) => string;

const unix = (date: Date): number => Math.floor(date.getTime() / 1000);
const toDateTime = (date: Date): string => `toDateTime(${unix(date)})`;
const toDateTime64 = (date: Date): string => `fromUnixTimestamp64Milli(${date.getTime()})`;
const toDate = (date: Date): string => `toDate('${date.toISOString().slice(0, 10)}')`;
const intervalSeconds = (context: MacroContext): number => Math.trunc(Math.max(context.intervalMs / 1000, 1));

function arity(name: string, want: number, macro: Macro): Macro {
  return (context, args) => {
    if (args.length !== want) {
      throw new Error(`$__${name} expected ${want} argument(s), received ${args.length}`);
    }
    return macro(context, args);
  };
}

/** Go's time.ParseDuration for the simple forms $__timeGroup accepts ("5m", "1h30m", "10s"). */
function parseGoDuration(text: string): number {
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };
  let seconds = 0;
  const parts = text.match(/(\d+(?:\.\d+)?)(ms|s|m|h)/g);
  if (!parts || parts.join('') !== text) throw new Error(`$__timeGroup: invalid interval "${text}"`);
  for (const part of parts) {
    const [, amount, unit] = /(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(part)!;
    seconds += Number(amount) * units[unit!]!;
  }
  return seconds;
}

const MACROS: Record<string, Macro> = {
  timeFilter: arity(
    'timeFilter',
    1,
    (c, [col]) => `${col} >= ${toDateTime(c.from)} AND ${col} <= ${toDateTime(c.to)}`,
  ),
  timeFilter_ms: arity(
    'timeFilter_ms',
    1,
    (c, [col]) => `${col} >= ${toDateTime64(c.from)} AND ${col} <= ${toDateTime64(c.to)}`,
  ),
  dateFilter: arity(
    'dateFilter',
    1,
    (c, [col]) => `${col} >= ${toDate(c.from)} AND ${col} <= ${toDate(c.to)}`,
  ),
  dateTimeFilter: arity(
    'dateTimeFilter',
    2,
    (c, [d, t]) =>
      `(${d} >= ${toDate(c.from)} AND ${d} <= ${toDate(c.to)}) AND ` +
      `(${t} >= ${toDateTime(c.from)} AND ${t} <= ${toDateTime(c.to)})`,
  ),
  timeFrom: arity('timeFrom', 1, (c, [col]) => `${col} >= ${toDateTime(c.from)}`),
  timeTo: arity('timeTo', 1, (c, [col]) => `${col} <= ${toDateTime(c.to)}`),
  fromTime: (c) => toDateTime(c.from),
  toTime: (c) => toDateTime(c.to),
  fromTime_ms: (c) => toDateTime64(c.from),
  toTime_ms: (c) => toDateTime64(c.to),
  timeInterval: arity(
    'timeInterval',
    1,
    (c, [col]) => `toStartOfInterval(toDateTime(${col}), INTERVAL ${intervalSeconds(c)} second)`,
  ),
  timeInterval_ms: arity(
    'timeInterval_ms',
    1,
    (c, [col]) =>
      `toStartOfInterval(toDateTime64(${col}, 3), INTERVAL ${Math.trunc(Math.max(c.intervalMs, 1))} millisecond)`,
  ),
  interval_s: (c) => String(intervalSeconds(c)),
  timeGroup: arity('timeGroup', 2, (_c, [col, period]) => {
    const seconds = Math.round(parseGoDuration(period!.trim().replace(/^['"]|['"]$/g, '')));
    if (seconds <= 0) throw new Error(`$__timeGroup: interval must be positive`);
    return `toStartOfInterval(toDateTime(${col!.trim()}), INTERVAL ${seconds} second)`;
  }),
};
MACROS.dt = MACROS.dateTimeFilter!;

/** Index just past a quoted region or comment starting at `i`, or -1 when none starts there. */
function skipRegion(sql: string, i: number): number {
  const c = sql[i];
  if (c === "'" || c === '`' || c === '"') {
    let j = i + 1;
    while (j < sql.length) {
      if (sql[j] === '\\') j += 2;
      else if (sql[j] === c) return j + 1;
      else j++;
    }
    return sql.length;
  }
  if (sql.startsWith('--', i)) {
    const end = sql.indexOf('\n', i);
    return end === -1 ? sql.length : end;
  }
  if (sql.startsWith('/*', i)) {
    const end = sql.indexOf('*/', i + 2);
    return end === -1 ? sql.length : end + 2;
  }
  return -1;
}

/** Arguments of a call whose "(" is at `open`: top-level comma split, quotes respected. */
function callArguments(sql: string, open: number): { args: string[]; end: number } {
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open; i < sql.length;) {
    const skipped = skipRegion(sql, i);
    if (skipped !== -1) {
      i = skipped;
      continue;
    }
    const c = sql[i];
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) {
        const last = sql.slice(start, i);
        if (args.length > 0 || last.trim() !== '') args.push(last);
        return { args: args.map((arg) => arg.trim()), end: i + 1 };
      }
    } else if (c === ',' && depth === 1) {
      args.push(sql.slice(start, i));
      start = i + 1;
    }
    i++;
  }
  throw new Error(`unbalanced parentheses after position ${open}`);
}

/** Expands every known `$__macro` in the SQL. */
export function expandMacros(sql: string, context: MacroContext): string {
  let out = '';
  for (let i = 0; i < sql.length;) {
    const skipped = skipRegion(sql, i);
    if (skipped !== -1) {
      out += sql.slice(i, skipped);
      i = skipped;
      continue;
    }
    const match = sql.startsWith('$__', i) ? /^\$__(\w+)/.exec(sql.slice(i)) : null;
    const macro = match ? MACROS[match[1]!] : undefined;
    if (!match || !macro) {
      out += sql[i];
      i++;
      continue;
    }
    let end = i + match[0].length;
    let args: string[] = [];
    if (sql[end] === '(') {
      const call = callArguments(sql, end);
      args = call.args.map((arg) => expandMacros(arg, context));
      end = call.end;
    }
    out += macro(context, args);
    i = end;
  }
  return out;
}
