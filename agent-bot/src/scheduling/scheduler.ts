import type { AppointmentsConfig } from '@switchboard/core';
import type pg from 'pg';
import type { ConversationActions } from '../responder/responder.js';
import { findFreeSlots } from './availability.js';
import {
  AppointmentStore,
  SlotTakenError,
  type Appointment,
  type BookingOwner,
} from './appointment-store.js';
import {
  appointmentView,
  bookableSlot,
  calendarEventFor,
  reminderFollowUps,
  serviceProblem,
  type AppointmentView,
  type Outcome,
  type SlotView,
} from './booking-rules.js';
import { notifyCalendar } from './calendar-webhook.js';
import { writeCalendar, type CalendarEvent } from './icalendar.js';
import { addDays, formatLocal, parseOffsetDateTime, toOffsetIso, toZoned } from './zoned-time.js';

export type { AppointmentView, Outcome, SlotView } from './booking-rules.js';

/**
 * The appointments domain: free slots, book, reschedule, cancel, reminders, iCalendar and the
 * external-calendar webhook. Tools call it with validated arguments; it returns outcomes the
 * model can explain (never throws for a business reason; a broken database still throws).
 * The rules (what is bookable, views, reminders) are in booking-rules.ts, the queries in
 * appointment-store.ts; this file runs one through the other.
 */
export type Reminders = Pick<ConversationActions, 'scheduleFollowUp' | 'cancelFollowUp'>;

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

  const view = (appointment: Appointment): AppointmentView => appointmentView(config, locale, appointment);
  const calendarEvent = (appointment: Appointment, cancelled: boolean, now: Date): CalendarEvent =>
    calendarEventFor(config, locale, appointment, cancelled, now);
  const checkService = (service: string, resource?: string): string | null =>
    serviceProblem(config, service, resource);
  const chooseSlot = (service: string, start: Date, resource: string | undefined, now: Date) =>
    bookableSlot(config, service, start, resource, now);
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

  async function scheduleReminders(
    appointment: Appointment,
    reminders: Reminders | undefined,
    now: Date,
  ): Promise<void> {
    if (!reminders) return;
    const ids: string[] = [];
    for (const followUp of reminderFollowUps(config, locale, appointment, now)) {
      ids.push(await reminders.scheduleFollowUp(followUp));
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
