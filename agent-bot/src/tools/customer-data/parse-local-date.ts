/**
 * A date as a customer types it, read in their locale: "03/04/2026" is 3 April in en-GB and
 * 4 March in en-US. ISO (2026-04-03) and month names are not guessed at beyond the locale's own
 * order; an impossible date (31/02) is rejected, so the assistant asks again.
 */
type Order = Array<'day' | 'month' | 'year'>;

const orders = new Map<string, Order>();

/** The locale's numeric order, from how Intl formats a known date. */
export function dateOrder(locale: string): Order {
  let order = orders.get(locale);
  if (!order) {
    let parts: Intl.DateTimeFormatPart[];
    try {
      parts = new Intl.DateTimeFormat(locale, {
        day: 'numeric',
        month: 'numeric',
        year: 'numeric',
      }).formatToParts(new Date(Date.UTC(2026, 10, 22)));
    } catch {
      parts = new Intl.DateTimeFormat('en-GB', {
        day: 'numeric',
        month: 'numeric',
        year: 'numeric',
      }).formatToParts(new Date(Date.UTC(2026, 10, 22)));
    }
    order = parts
      .filter((p) => p.type === 'day' || p.type === 'month' || p.type === 'year')
      .map((p) => p.type) as Order;
    orders.set(locale, order);
  }
  return order;
}

/** YYYY-MM-DD, or null when the text is not a real date in this locale's order. */
export function parseLocalDate(text: string, locale: string, now: Date = new Date()): string | null {
  const trimmed = text.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(trimmed);
  if (iso) return checked(+iso[1]!, +iso[2]!, +iso[3]!);
  const pieces = trimmed.split(/[./\-\s]+/).filter(Boolean);
  if (pieces.length !== 3 || !pieces.every((p) => /^\d{1,4}$/.test(p))) return null;
  const order = dateOrder(locale);
  const value: Record<string, number> = {};
  order.forEach((field, index) => (value[field] = Number(pieces[index])));
  // A 4-digit first piece is a year whatever the locale (2026/04/03 is year-month-day).
  if (pieces[0]!.length === 4) return checked(Number(pieces[0]), Number(pieces[1]), Number(pieces[2]));
  let year = value.year!;
  if (pieces[order.indexOf('year')]!.length <= 2) {
    // Two-digit years: the nearest century that is not more than 10 years in the future.
    const current = now.getUTCFullYear();
    year += 2000;
    if (year > current + 10) year -= 100;
  }
  return checked(year, value.month!, value.day!);
}

function checked(year: number, month: number, day: number): string | null {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return null;
  return date.toISOString().slice(0, 10);
}
