import type { AppointmentsConfig } from '@switchboard/core';
import { addDays, minutesOf, weekdayOf, zonedToInstant } from './zoned-time.js';

/**
 * Free slots from working hours, exceptions, buffers and existing bookings: a pure function,
 * so that the rules are tested without a database. The database stays the judge of conflicts
 * (the exclusion constraint); this only proposes slots that are likely free.
 */
export interface BusyRange {
  resource: string;
  from: Date;
  until: Date;
}

export interface Slot {
  service: string;
  resource: string;
  start: Date;
  end: Date;
  /** The range the booking blocks: start − buffer before … end + buffer after. */
  blockedFrom: Date;
  blockedUntil: Date;
}

export interface SlotQuery {
  service: string;
  /** Business-local dates, inclusive. */
  fromDate: string;
  toDate: string;
  resource?: string;
  now: Date;
}

/** Local opening intervals of one resource on one date, in minutes since local midnight. */
export function openingIntervals(
  config: AppointmentsConfig,
  resource: string,
  date: string,
): Array<{ open: number; close: number }> {
  const exception = config.exceptions.find(
    (e) => e.date === date && (e.resources === undefined || e.resources.includes(resource)),
  );
  if (exception) {
    return (exception.hours ?? []).map((h) => ({ open: minutesOf(h.open), close: minutesOf(h.close) }));
  }
  const hours = config.resources[resource]?.workingHours ?? config.workingHours;
  const weekday = weekdayOf(date);
  return hours
    .filter((h) => h.days.includes(weekday))
    .map((h) => ({ open: minutesOf(h.open), close: minutesOf(h.close) }));
}

export function slotFor(config: AppointmentsConfig, service: string, resource: string, start: Date): Slot {
  const definition = config.services[service]!;
  const end = new Date(start.getTime() + definition.durationMinutes * 60_000);
  return {
    service,
    resource,
    start,
    end,
    blockedFrom: new Date(start.getTime() - definition.bufferBeforeMinutes * 60_000),
    blockedUntil: new Date(end.getTime() + definition.bufferAfterMinutes * 60_000),
  };
}

function overlaps(slot: Slot, busy: BusyRange): boolean {
  return slot.resource === busy.resource && slot.blockedFrom < busy.until && busy.from < slot.blockedUntil;
}

/** Earliest and latest instants a booking may start (notice period, booking horizon). */
export function bookingWindow(config: AppointmentsConfig, now: Date): { earliest: Date; latest: Date } {
  return {
    earliest: new Date(now.getTime() + config.minNoticeMinutes * 60_000),
    latest: new Date(now.getTime() + config.maxDaysAhead * 24 * 60 * 60_000),
  };
}

/** Every slot on the grid inside opening hours, minus busy ones, in start order. */
export function findFreeSlots(config: AppointmentsConfig, query: SlotQuery, busy: BusyRange[]): Slot[] {
  const service = config.services[query.service];
  if (!service) return [];
  const resources = query.resource
    ? service.resources.filter((r) => r === query.resource)
    : service.resources;
  const { earliest, latest } = bookingWindow(config, query.now);
  const slots: Slot[] = [];
  for (let date = query.fromDate; date <= query.toDate; date = addDays(date, 1)) {
    for (const resource of resources) {
      for (const interval of openingIntervals(config, resource, date)) {
        // The grid starts at the opening time, so "09:10-12:00" offers 09:10, 09:25, ...
        for (
          let minute = interval.open;
          minute + service.durationMinutes <= interval.close;
          minute += config.slotStepMinutes
        ) {
          const start = zonedToInstant(date, minute, config.timezone);
          if (start < earliest || start > latest) continue;
          const slot = slotFor(config, query.service, resource, start);
          if (!busy.some((range) => overlaps(slot, range))) slots.push(slot);
        }
      }
    }
  }
  return slots.sort((a, b) => a.start.getTime() - b.start.getTime() || a.resource.localeCompare(b.resource));
}

/**
 * Whether a requested start is a slot the rules offer (on the grid, inside hours, within the
 * booking window), ignoring other bookings: the model may only book what find_slots could offer.
 */
export function isOfferedStart(
  config: AppointmentsConfig,
  service: string,
  resource: string,
  start: Date,
  localDate: string,
  now: Date,
): boolean {
  const slots = findFreeSlots(config, { service, resource, fromDate: localDate, toDate: localDate, now }, []);
  return slots.some((slot) => slot.start.getTime() === start.getTime());
}
