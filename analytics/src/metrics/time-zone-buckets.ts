import type { Bucket } from './filters.js';

/**
 * Bucket starts in a time zone (issue 19: a manager in London or São Paulo reads "Monday" as
 * their Monday, not UTC's). JavaScript has no zoned arithmetic before Temporal, so instants are
 * moved through Intl's wall-clock parts; ClickHouse does the same with its tz argument
 * (toStartOfDay(t, tz)), so both sides agree, also across daylight-saving changes.
 */

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall clock in `zone` at `instant`, as if it were UTC (ms). */
function wallClock(zone: string, instant: number): number {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, format);
  }
  const part = (type: string) => Number(format.formatToParts(instant).find((p) => p.type === type)!.value);
  return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
}

/** The instant whose wall clock in `zone` is `wall` (ms as UTC); twice, for a DST change between. */
function instantOf(zone: string, wall: number): number {
  let guess = wall - (wallClock(zone, wall) - wall);
  guess = wall - (wallClock(zone, guess) - guess);
  return guess;
}

/** Start of the bucket holding `instant` in `zone`, as an instant (weeks start on Monday). */
export function bucketStartIn(zone: string, bucket: Bucket, instant: number): number {
  const wall = new Date(wallClock(zone, instant));
  if (bucket === 'hour')
    return instantOf(
      zone,
      Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate(), wall.getUTCHours()),
    );
  let day = Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate());
  if (bucket === 'week') day -= ((wall.getUTCDay() + 6) % 7) * 86_400_000;
  if (bucket === 'month') day = Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), 1);
  return instantOf(zone, day);
}

/** The start of the bucket after the one starting at `start` (an instant) in `zone`. */
export function nextBucketStartIn(zone: string, bucket: Bucket, start: number): number {
  if (bucket === 'hour') return start + 3_600_000;
  const wall = new Date(wallClock(zone, start));
  const [y, m, d] = [wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate()];
  const next =
    bucket === 'day'
      ? Date.UTC(y, m, d + 1)
      : bucket === 'week'
        ? Date.UTC(y, m, d + 7)
        : Date.UTC(y, m + 1, 1);
  return instantOf(zone, next);
}
