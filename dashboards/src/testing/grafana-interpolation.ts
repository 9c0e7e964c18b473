/**
 * What Grafana's frontend does to a ClickHouse panel query before it reaches the plugin's
 * backend: the plugin's `applyConditionalAll`, then Grafana's template-variable replacement with
 * the plugin's default formatter. Ported from grafana/clickhouse-datasource
 * src/data/CHDatasource.ts (applyConditionalAll, getMacroArgs, format) and the formatters of
 * Grafana's variable format registry (singlequote, sqlstring, percentencode, csv, raw), so the
 * tests run the SQL Grafana would send. Alert rules skip this step: they run server-side.
 */

export const ALL_VALUE = '$__all';

export interface VariableState {
  /** One value, several (multi-select), or `$__all`. */
  value: string | string[];
  /** What "All" expands to outside `$__conditionalAll` (the variable's options). */
  options?: string[];
}

export type VariableValues = Record<string, VariableState>;

/** The plugin's `getMacroArgs`: split at top-level commas, counting every parenthesis. */
function macroArgs(query: string, argsIndex: number): string[] {
  const args: string[] = [];
  const pattern = /\(|\)|,/g;
  let depth = 0;
  let lastArgEnd = 1;
  const rest = query.substring(argsIndex);
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(rest)) !== null) {
    const token = match[0];
    if (token === '(') depth++;
    else if (token === ')') depth--;
    if (token === ',' && depth === 1) {
      args.push(rest.substring(lastArgEnd, pattern.lastIndex - 1));
      lastArgEnd = pattern.lastIndex;
    }
    if (depth === 0) {
      args.push(rest.substring(lastArgEnd, pattern.lastIndex - 1));
      return args;
    }
  }
  return [];
}

/** The plugin's `applyConditionalAll`, innermost-last like the original (lastIndexOf loop). */
export function applyConditionalAll(rawQuery: string, variables: VariableValues): string {
  const macro = '$__conditionalAll(';
  let query = rawQuery;
  let index = query.lastIndexOf(macro);
  while (index !== -1) {
    const params = macroArgs(query, index + macro.length - 1);
    if (params.length !== 2) return query;
    const variableName = /(?<=\$\{)[\w\d]+(?=\})|(?<=\$)[\w\d]+/.exec(params[1]!.trim());
    let phrase = params[0]!;
    if (variableName) {
      const state = variables[variableName[0]];
      // The plugin reads `current.value.toString()`: ['$__all'] and [] stringify like '$__all' and ''.
      const value = state === undefined ? undefined : String(state.value);
      if (value === '' || value === ALL_VALUE) phrase = '1=1';
    }
    query = query.replace(`${macro}${params[0]},${params[1]})`, phrase);
    index = query.lastIndexOf(macro);
  }
  return query;
}

/** Grafana's variable syntax: $name, [[name:format]], ${name.field:format}. */
const VARIABLE_PATTERN = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\${(\w+)(?:\.([^:^}]+))?(?::([^}]+))?}/g;

function encodeURIComponentStrict(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
  );
}

const FORMATTERS: Record<string, (value: string | string[]) => string> = {
  singlequote: (value) =>
    Array.isArray(value)
      ? value.map((v) => `'${v.replace(/'/g, "\\'")}'`).join(',')
      : `'${value.replace(/'/g, "\\'")}'`,
  sqlstring: (value) =>
    Array.isArray(value)
      ? value.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')
      : `'${value.replace(/'/g, "''")}'`,
  percentencode: (value) =>
    Array.isArray(value)
      ? encodeURIComponentStrict('{' + value.join(',') + '}')
      : encodeURIComponentStrict(value),
  csv: (value) => (Array.isArray(value) ? value.join(',') : value),
  raw: (value) => (Array.isArray(value) ? value.join(',') : value),
};

/** The ClickHouse plugin's own formatter, used when a reference names no format. */
function pluginDefaultFormat(value: string | string[]): string {
  return Array.isArray(value) ? `'${value.join("','")}'` : value;
}

/** templateSrv.replace: unknown names (the plugin's $__ macros) stay as they are. */
export function replaceVariables(query: string, variables: VariableValues): string {
  return query.replace(VARIABLE_PATTERN, (match, n1, n2, f2, n3, _field, f3) => {
    const name = (n1 ?? n2 ?? n3) as string;
    const format = (f2 ?? f3) as string | undefined;
    const state = variables[name];
    if (state === undefined) return match;
    const isAll = state.value === ALL_VALUE || (Array.isArray(state.value) && state.value[0] === ALL_VALUE);
    const value = isAll ? (state.options ?? []) : state.value;
    if (format === undefined) return pluginDefaultFormat(value);
    const formatter = FORMATTERS[format];
    if (!formatter) throw new Error(`variable format ${format} is not emulated`);
    return formatter(value);
  });
}

/** Everything the browser does to a panel query. */
export function interpolateDashboardQuery(rawSql: string, variables: VariableValues): string {
  return replaceVariables(applyConditionalAll(rawSql, variables), variables);
}
