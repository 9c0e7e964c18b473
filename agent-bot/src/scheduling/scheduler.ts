import type { AppointmentsConfig } from '@switchboard/core';
import type pg from 'pg';
import type { ConversationActions } from '../responder/responder.js';
import { findFreeSlots, isOfferedStart, slotFor, type Slot } from './availability.js';
import {
  AppointmentStore,
  SlotTakenError,
  type Appointment,
  type BookingOwner,
} from './appointment-store.js';
import { notifyCalendar } from './calendar-webhook.js';
import { writeCalendar, type CalendarEvent } from './icalendar.js';
import { addDays, formatLocal, parseOffsetDateTime, toOffsetIso, toZoned } from './zoned-time.js';

/**
 * The appointments domain: free slots, book, reschedule, cancel, reminders, iCalendar and the
 * external-calendar webhook. Tools call it with validated arguments; it returns outcomes the
 * model can explain (never throws for a business reason; a broken database still throws).
 */
export type Reminders = Pick<ConversationActions, 'scheduleFollowUp' | 'cancelFollowUp'>;

export type Outcome<T> =
  ({ ok: true } & T) | { ok: false; reason: 'invalid' | 'slot_taken' | 'not_found'; message: string };

export interface SlotView {
  start: string;
  end: string;
  resource: string;
  resourceName: string;
  label: string;
}

export interface AppointmentView {
  code: string;
  service: string;
  serviceName: string;
  resource: string;
  resourceName: string;
  start: string;
  end: string;
  label: string;
  calendarSynced?: boolean;
}

export interface SchedulerOptions {
  pool: pg.Pool;
  config: AppointmentsConfig;
  /** Customer-facing date formatting. */
  locale?: string;
  fetch?: typeof fetch;
  onWebhookError?: (error: unknown) => void;
}

export function createScheduler(options: SchedulerOptions) {
  const { config } = options;
  const store = new AppointmentStore(options.pool);
  const locale = options.locale ?? 'en';

  const view = (appointment: Appointment): AppointmentView => ({
    code: appointment.code,
    service: appointment.service,
    serviceName: config.services[appointment.service]?.name ?? appointment.service,
    resource: appointment.resource,
    resourceName: config.resources[appointment.resource]?.name ?? appointment.resource,
    start: toOffsetIso(appointment.start, config.timezone),
    end: toOffsetIso(appointment.end, config.timezone),
    label: formatLocal(appointment.start, config.timezone, locale),
  });

  const calendarEvent = (appointment: Appointment, cancelled: boolean, now: Date): CalendarEvent => {
    const v = view(appointment);
    return {
      // One UID across reschedules (the code), so calendars move the event instead of adding one.
      uid: `${appointment.code}@switchboard`,
      start: appointment.start,
      end: appointment.end,
      summary: `${v.serviceName} (${v.resourceName})`,
      description: `Booking code ${appointment.code}`,
      sequence: appointment.sequence,
      cancelled,
      stamp: now,
    };
  };

  function checkService(service: string, resource?: string): string | null {
    const definition = config.services[service];
    if (!definition)
      return `Unknown service "${service}". Known services: ${Object.keys(config.services).join(', ')}.`;
    if (resource !== undefined && !definition.resources.includes(resource)) {
      return `"${resource}" does not provide ${definition.name}. Options: ${definition.resources.join(', ')}.`;
    }
    return null;
  }

  /** A start the model sends back must carry an offset (find_slots gives one) and be a real day. */
  const parseStart = parseOffsetDateTime;

  async function findSlots(query: {
    service: string;
    fromDate?: string;
    days?: number;
    resource?: string;
    limit?: number;
    now: Date;
  }): Promise<Outcome<{ timezone: string; slots: SlotView[] }>> {
    const problem = checkService(query.service, query.resource);
    if (problem) return { ok: false, reason: 'invalid', message: problem };
    const today = toZoned(query.now, config.timezone).date;
    const fromDate = query.fromDate && query.fromDate > today ? query.fromDate : today;
    const toDate = addDays(fromDate, Math.min(Math.max(query.days ?? 7, 1), 31) - 1);
    const resources = query.resource ? [query.resource] : config.services[query.service]!.resources;
    const busy = await store.busyRanges(
      resources,
      new Date(`${addDays(fromDate, -1)}T00:00:00Z`),
      new Date(`${addDays(toDate, 2)}T00:00:00Z`),
    );
    const slots = findFreeSlots(
      config,
      { service: query.service, fromDate, toDate, resource: query.resource, now: query.now },
      busy,
    );
    return {
      ok: true,
      timezone: config.timezone,
      slots: slots.slice(0, query.limit ?? 12).map((slot) => ({
        start: toOffsetIso(slot.start, config.timezone),
        end: toOffsetIso(slot.end, config.timezone),
        resource: slot.resource,
        resourceName: config.resources[slot.resource]?.name ?? slot.resource,
        label: formatLocal(slot.start, config.timezone, locale),
      })),
    };
  }

  /** The slot to book: the requested resource, or the first one free at that time. */
  async function chooseSlot(
    service: string,
    start: Date,
    resource: string | undefined,
    now: Date,
  ): Promise<Outcome<{ slot: Slot; candidates: Slot[] }>> {
    const localDate = toZoned(start, config.timezone).date;
    const resources = resource ? [resource] : config.services[service]!.resources;
    const offered = resources.filter((r) => isOfferedStart(config, service, r, start, localDate, now));
    if (offered.length === 0) {
      return {
        ok: false,
        reason: 'invalid',
        message:
          'That time is not a bookable slot (outside working hours, too soon, too far ahead or off the grid). Call find_slots and pick one of its starts.',
      };
    }
    const candidates = offered.map((r) => slotFor(config, service, r, start));
    return { ok: true, slot: candidates[0]!, candidates };
  }

  async function scheduleReminders(
    appointment: Appointment,
    reminders: Reminders | undefined,
    now: Date,
  ): Promise<void> {
    if (!reminders || config.reminders.length === 0) return;
    const v = view(appointment);
    const local = toZoned(appointment.start, config.timezone);
    const fill = (text: string) =>
      text
        .replaceAll('{service}', v.serviceName)
        .replaceAll('{resource}', v.resourceName)
        .replaceAll('{date}', local.date)
        .replaceAll('{time}', local.time)
        .replaceAll('{code}', appointment.code);
    const ids: string[] = [];
    for (const reminder of config.reminders) {
      const at = new Date(appointment.start.getTime() - reminder.minutesBefore * 60_000);
      if (at <= now) continue;
      const templateParams = Object.fromEntries(
        Object.entries(reminder.templateParams).map(([k, t]) => [k, fill(t)]),
      );
      ids.push(
        await reminders.scheduleFollowUp({
          at,
          text: fill(reminder.text),
          // A reminder of a booking stands even when the customer writes in between.
          cancelOnCustomerMessage: false,
          ...(reminder.template ? { template: reminder.template, templateParams } : {}),
        }),
      );
    }
    if (ids.length > 0) await store.setReminders(appointment.id, ids);
  }

  async function cancelReminders(appointment: Appointment, reminders: Reminders | undefined): Promise<void> {
    for (const id of appointment.reminderIds) await reminders?.cancelFollowUp(id);
  }

  async function sync(
    kind: 'booked' | 'rescheduled' | 'cancelled',
    appointment: Appointment,
    now: Date,
  ): Promise<boolean | undefined> {
    if (!config.calendarWebhook) return undefined;
    const ics = writeCalendar([calendarEvent(appointment, kind === 'cancelled', now)], {
      method: kind === 'cancelled' ? 'CANCEL' : 'REQUEST',
    });
    return notifyCalendar(
      config.calendarWebhook,
      { event: kind, appointment: view(appointment), ics },
      options.fetch,
      options.onWebhookError,
    );
  }

  async function book(request: {
    service: string;
    start: string;
    resource?: string;
    owner: BookingOwner;
    now: Date;
    reminders?: Reminders;
  }): Promise<Outcome<{ appointment: AppointmentView }>> {
    const problem = checkService(request.service, request.resource);
    if (problem) return { ok: false, reason: 'invalid', message: problem };
    const start = parseStart(request.start);
    if (!start)
      return {
        ok: false,
        reason: 'invalid',
        message: 'start must be an ISO date-time with offset, as given by find_slots.',
      };
    const chosen = await chooseSlot(request.service, start, request.resource, request.now);
    if (!chosen.ok) return chosen;
    for (const candidate of chosen.candidates) {
      try {
        const appointment = await store.book(candidate, request.owner);
        await scheduleReminders(appointment, request.reminders, request.now);
        const calendarSynced = await sync('booked', appointment, request.now);
        return {
          ok: true,
          appointment: { ...view(appointment), ...(calendarSynced === undefined ? {} : { calendarSynced }) },
        };
      } catch (error) {
        if (!(error instanceof SlotTakenError)) throw error;
      }
    }
    return {
      ok: false,
      reason: 'slot_taken',
      message: 'Someone else just took that time. Call find_slots again and offer other times.',
    };
  }

  async function reschedule(request: {
    code: string;
    start: string;
    resource?: string;
    owner: BookingOwner;
    now: Date;
    reminders?: Reminders;
  }): Promise<Outcome<{ appointment: AppointmentView; previous: AppointmentView }>> {
    const existing = await store.findOwned(request.code, request.owner);
    if (!existing)
      return {
        ok: false,
        reason: 'not_found',
        message: `No upcoming appointment with code ${request.code} for this customer.`,
      };
    const start = parseStart(request.start);
    if (!start)
      return {
        ok: false,
        reason: 'invalid',
        message: 'start must be an ISO date-time with offset, as given by find_slots.',
      };
    const resource = request.resource ?? existing.resource;
    const problem = checkService(existing.service, resource);
    if (problem) return { ok: false, reason: 'invalid', message: problem };
    const chosen = await chooseSlot(existing.service, start, resource, request.now);
    if (!chosen.ok) return chosen;
    try {
      const moved = await store.reschedule(existing, chosen.slot);
      await cancelReminders(existing, request.reminders);
      await scheduleReminders(moved, request.reminders, request.now);
      const calendarSynced = await sync('rescheduled', moved, request.now);
      return {
        ok: true,
        previous: view(existing),
        appointment: { ...view(moved), ...(calendarSynced === undefined ? {} : { calendarSynced }) },
      };
    } catch (error) {
      if (error instanceof SlotTakenError) {
        return {
          ok: false,
          reason: 'slot_taken',
          message: 'That time is taken; the appointment was not changed. Call find_slots for other times.',
        };
      }
      throw error;
    }
  }

  async function cancel(request: {
    code: string;
    owner: BookingOwner;
    now: Date;
    reminders?: Reminders;
  }): Promise<Outcome<{ appointment: AppointmentView }>> {
    const existing = await store.findOwned(request.code, request.owner);
    if (!existing)
      return {
        ok: false,
        reason: 'not_found',
        message: `No upcoming appointment with code ${request.code} for this customer.`,
      };
    const cancelled = await store.cancel(existing.id);
    if (!cancelled)
      return { ok: false, reason: 'not_found', message: 'That appointment was already cancelled.' };
    await cancelReminders(existing, request.reminders);
    const calendarSynced = await sync('cancelled', cancelled, request.now);
    return {
      ok: true,
      appointment: { ...view(cancelled), ...(calendarSynced === undefined ? {} : { calendarSynced }) },
    };
  }

  /** All live bookings in a range as one .ics (for an operator's calendar subscription). */
  async function exportIcs(range: {
    from: Date;
    until: Date;
    resource?: string;
    now: Date;
  }): Promise<string> {
    const appointments = await store.listBooked(range.from, range.until, range.resource);
    return writeCalendar(
      appointments.map((a) => calendarEvent(a, false, range.now)),
      { method: 'PUBLISH' },
    );
  }

  /** The customer's copy of one booking, to send as a file with the confirmation. */
  async function appointmentIcs(code: string, owner: BookingOwner, now: Date): Promise<string | null> {
    const appointment = await store.findOwned(code, owner);
    return appointment
      ? writeCalendar([calendarEvent(appointment, false, now)], { method: 'PUBLISH' })
      : null;
  }

  async function upcoming(owner: BookingOwner, now: Date): Promise<AppointmentView[]> {
    return (await store.upcomingOwned(owner, now)).map(view);
  }

  return { findSlots, book, reschedule, cancel, exportIcs, appointmentIcs, upcoming, store };
}

export type Scheduler = ReturnType<typeof createScheduler>;
