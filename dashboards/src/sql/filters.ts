/**
 * The dashboard filters as SQL, written once. Every filter sits inside the plugin's
 * `$__conditionalAll(condition, $var)`, which the plugin replaces with `1=1` when the
 * variable is "All" (or empty, for the phone box), so "All" never turns into a long IN list.
 *
 * Values go through Grafana's `singlequote` format (each value quoted, `'` escaped). The
 * phone box is free text typed by a person, so it goes through `percentencode` and is decoded
 * by ClickHouse: the text reaches SQL as [A-Za-z0-9%._~-] only and cannot break out of the
 * string literal whatever is typed.
 */
export interface FilterColumns {
  account: string;
  channel: string;
  assistant: string;
  phone: string;
}

export function columnsOf(alias?: string): FilterColumns {
  const prefix = alias ? `${alias}.` : '';
  return {
    account: `${prefix}account_id`,
    channel: `${prefix}channel`,
    assistant: `${prefix}assistant`,
    phone: `${prefix}customer_phone`,
  };
}

/**
 * The typed digits anywhere in the stored number: phones are stored in E.164 (`+` and digits),
 * so "+55 (11) 9876" becomes `%55119876%`. A LIKE on the raw column (no per-row function) lets
 * ClickHouse use the events table's ngram index; the pattern is digits only, so no wildcard or
 * quote from the box survives.
 */
export function phoneContains(column: string): string {
  const typed = `decodeURLComponent('\${phone:percentencode}')`;
  return `${column} LIKE concat('%', replaceRegexpAll(${typed}, '[^0-9]', ''), '%')`;
}

/**
 * `account AND channel AND assistant AND phone`, for a WHERE clause. `indent` lines the AND up
 * with the query text around it (queries are template literals indented by 6).
 */
export function dashboardFilters(columns: FilterColumns = columnsOf(), indent = '      '): string {
  return [
    `$__conditionalAll(${columns.account} IN (\${account:singlequote}), $account)`,
    `$__conditionalAll(${columns.channel} IN (\${channel:singlequote}), $channel)`,
    `$__conditionalAll(${columns.assistant} IN (\${assistant:singlequote}), $assistant)`,
    `$__conditionalAll(${phoneContains(columns.phone)}, $phone)`,
  ].join(`\n${indent}AND `);
}

/**
 * The time picker's range as the metrics API reads it: [from, to), to the millisecond. The
 * plugin's $__timeFilter is inclusive at both ends and cut to whole seconds, which counted an
 * event at `to` (and dropped the milliseconds) where the API does not.
 */
export function inRange(column: string): string {
  return `${column} >= $__fromTime_ms AND ${column} < $__toTime_ms`;
}
