import { describe, expect, it } from 'vitest';
import { expandMacros } from './plugin-macros.js';

// Vectors from grafana/clickhouse-datasource pkg/macros/macros_test.go (TestInterpolate and
// friends): the expander must produce the plugin's output byte for byte.
const context = {
  from: new Date('2014-11-12T11:45:26.123Z'),
  to: new Date('2015-11-12T11:45:26.456Z'),
  intervalMs: 60_000,
};

describe('plugin macros', () => {
  it.each([
    [
      'select * from foo where $__timeFilter(cast(sth as timestamp) )',
      'select * from foo where cast(sth as timestamp) >= toDateTime(1415792726) AND cast(sth as timestamp) <= toDateTime(1447328726)',
    ],
    [
      'select * from foo where $__timeFilter_ms(cast(sth as timestamp))',
      'select * from foo where cast(sth as timestamp) >= fromUnixTimestamp64Milli(1415792726123) AND cast(sth as timestamp) <= fromUnixTimestamp64Milli(1447328726456)',
    ],
    [
      'select * from foo where ( date >= $__fromTime and date <= $__toTime ) limit 100',
      'select * from foo where ( date >= toDateTime(1415792726) and date <= toDateTime(1447328726) ) limit 100',
    ],
    [
      'select * from foo where ( date >= $__fromTime_ms ) and ( date <= $__toTime_ms ) limit 100',
      'select * from foo where ( date >= fromUnixTimestamp64Milli(1415792726123) ) and ( date <= fromUnixTimestamp64Milli(1447328726456) ) limit 100',
    ],
    [
      'SELECT $__timeInterval($__fromTime) AS from_time',
      'SELECT toStartOfInterval(toDateTime(toDateTime(1415792726)), INTERVAL 60 second) AS from_time',
    ],
    [
      'SELECT $__timeInterval_ms($__fromTime_ms)',
      'SELECT toStartOfInterval(toDateTime64(fromUnixTimestamp64Milli(1415792726123), 3), INTERVAL 60000 millisecond)',
    ],
    [
      'select * from foo where $__timeFilter(coalesce(closed_at, $__toTime))',
      'select * from foo where coalesce(closed_at, toDateTime(1447328726)) >= toDateTime(1415792726) AND coalesce(closed_at, toDateTime(1447328726)) <= toDateTime(1447328726)',
    ],
    [
      "select * from foo where msg = 'it\\'s -- fine' and $__fromTime",
      "select * from foo where msg = 'it\\'s -- fine' and toDateTime(1415792726)",
    ],
    [
      "select * from foo where msg = 'it''s' and $__fromTime",
      "select * from foo where msg = 'it''s' and toDateTime(1415792726)",
    ],
    [
      "SELECT `it's` AS x, msg FROM t WHERE msg = 'a--b' AND $__timeFilter(ts)",
      "SELECT `it's` AS x, msg FROM t WHERE msg = 'a--b' AND ts >= toDateTime(1415792726) AND ts <= toDateTime(1447328726)",
    ],
    ['SELECT $__dateFilter(d)', "SELECT d >= toDate('2014-11-12') AND d <= toDate('2015-11-12')"],
    ['SELECT $__interval_s', 'SELECT 60'],
    ["SELECT $__timeGroup(ts, '5m')", 'SELECT toStartOfInterval(toDateTime(ts), INTERVAL 300 second)'],
  ])('%s', (input, output) => {
    expect(expandMacros(input, context)).toBe(output);
  });

  it('keeps the interval at one second at least, like the plugin', () => {
    expect(expandMacros('$__interval_s', { ...context, intervalMs: 200 })).toBe('1');
  });

  it('leaves unknown macros and macros inside strings alone', () => {
    expect(expandMacros("SELECT '$__fromTime', $__unknown(x)", context)).toBe(
      "SELECT '$__fromTime', $__unknown(x)",
    );
  });

  it('rejects a wrong number of arguments, like the plugin', () => {
    expect(() => expandMacros('$__timeFilter(a, b)', context)).toThrow(/expected 1 argument/);
  });
});
