/**
 * Wall-clock time in an IANA zone ↔ instants, with Node's Intl only. Working hours and
 * exceptions are written in the business's local time, so every slot is built from a local
 * date and time and converted here; DST days therefore get the right number of hours.
 */
export interface ZonedParts {
  /** YYYY-MM-DD in the zone. */
  date: string;
  /** HH:MM in the zone. */
  time: string;
  weekday: Weekday;
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Throws a RangeError for an unknown zone (config validation uses this). */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

function partsOf(instant: Date, timeZone: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) out[part.type] = part.value;
  return out;
}

export function toZoned(instant: Date, timeZone: string): ZonedParts {
  const p = partsOf(instant, timeZone);
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    time: `${p.hour}:${p.minute}`,
    weekday: p.weekday!.toLowerCase().slice(0, 3) as Weekday,
  };
}

/** Offset of the zone from UTC at that instant, in minutes (east positive). */
function offsetMinutes(instant: Date, timeZone: string): number {
  const p = partsOf(instant, timeZone);
  const asUtc = Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The instant of a local date + minutes since local midnight. Two passes, because the offset
 * depends on the instant we are looking for; a time inside a spring-forward gap moves forward.
 */
export function zonedToInstant(date: string, minutesOfDay: number, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const naive = Date.UTC(y, m - 1, d, 0, minutesOfDay);
  const first = naive - offsetMinutes(new Date(naive), timeZone) * 60_000;
  const second = naive - offsetMinutes(new Date(first), timeZone) * 60_000;
  return new Date(second);
}

export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** The calendar date `days` after `date` (plain date arithmetic, no zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function weekdayOf(date: string): Weekday {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return (['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const)[
    new Date(Date.UTC(y, m - 1, d)).getUTCDay()
  ]!;
}

/** "Tuesday, 3 March 2026, 14:30" in the customer's locale and the business's zone. */
export function formatLocal(instant: Date, timeZone: string, locale: string): string {
  try {
    return new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'full', timeStyle: 'short' }).format(
      instant,
    );
  } catch {
    return new Intl.DateTimeFormat('en', { timeZone, dateStyle: 'full', timeStyle: 'short' }).format(instant);
  }
}

/** ISO 8601 with the zone's offset (2026-03-03T14:30:00+01:00): what the model sees and sends back. */
export function toOffsetIso(instant: Date, timeZone: string): string {
  const p = partsOf(instant, timeZone);
  const offset = offsetMinutes(instant, timeZone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${sign}${hh}:${mm}`;
}

/**
 * An ISO 8601 date-time that must carry an offset (so "09:00" is never silently read in the
 * server's zone) and name a real calendar day (Date would roll 30 February into March).
 */
export function parseOffsetDateTime(text: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/.exec(
    text,
  );
  if (!match) return null;
  const [, y, m, d, hh, mm, ss] = match.map(Number) as number[];
  const day = new Date(Date.UTC(y!, m! - 1, d!));
  if (day.getUTCMonth() !== m! - 1 || hh! > 23 || mm! > 59 || (ss ?? 0) > 59) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}
