import type { AppointmentsConfig } from '@switchboard/core';
import type { Appointment } from './appointment-store.js';
import { isOfferedStart, slotFor, type Slot } from './availability.js';
import type { CalendarEvent } from './icalendar.js';
import { formatLocal, toOffsetIso, toZoned } from './zoned-time.js';

/** The booking rules, apart from the queries: pure functions of the configuration. */

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

export function appointmentView(
  config: AppointmentsConfig,
  locale: string,
  appointment: Appointment,
): AppointmentView {
  return {
    code: appointment.code,
    service: appointment.service,
    serviceName: config.services[appointment.service]?.name ?? appointment.service,
    resource: appointment.resource,
    resourceName: config.resources[appointment.resource]?.name ?? appointment.resource,
    start: toOffsetIso(appointment.start, config.timezone),
    end: toOffsetIso(appointment.end, config.timezone),
    label: formatLocal(appointment.start, config.timezone, locale),
  };
}

export function calendarEventFor(
  config: AppointmentsConfig,
  locale: string,
  appointment: Appointment,
  cancelled: boolean,
  now: Date,
): CalendarEvent {
  const v = appointmentView(config, locale, appointment);
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
}

/** Why a service (and resource) cannot be booked, in words for the model; null when it can. */
export function serviceProblem(
  config: AppointmentsConfig,
  service: string,
  resource?: string,
): string | null {
  const definition = config.services[service];
  if (!definition)
    return `Unknown service "${service}". Known services: ${Object.keys(config.services).join(', ')}.`;
  if (resource !== undefined && !definition.resources.includes(resource)) {
    return `"${resource}" does not provide ${definition.name}. Options: ${definition.resources.join(', ')}.`;
  }
  return null;
}

/** The slot to book: the requested resource, or the first one offered at that time. */
export function bookableSlot(
  config: AppointmentsConfig,
  service: string,
  start: Date,
  resource: string | undefined,
  now: Date,
): Outcome<{ slot: Slot; candidates: Slot[] }> {
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

export interface ReminderFollowUp {
  at: Date;
  text: string;
  cancelOnCustomerMessage: false;
  template?: string;
  templateParams?: Record<string, string>;
}

/** The configured reminders of a booking still ahead of `now`, with its details filled in. */
export function reminderFollowUps(
  config: AppointmentsConfig,
  locale: string,
  appointment: Appointment,
  now: Date,
): ReminderFollowUp[] {
  if (config.reminders.length === 0) return [];
  const v = appointmentView(config, locale, appointment);
  const local = toZoned(appointment.start, config.timezone);
  const fill = (text: string) =>
    text
      .replaceAll('{service}', v.serviceName)
      .replaceAll('{resource}', v.resourceName)
      .replaceAll('{date}', local.date)
      .replaceAll('{time}', local.time)
      .replaceAll('{code}', appointment.code);
  const planned: ReminderFollowUp[] = [];
  for (const reminder of config.reminders) {
    const at = new Date(appointment.start.getTime() - reminder.minutesBefore * 60_000);
    if (at <= now) continue;
    const templateParams = Object.fromEntries(
      Object.entries(reminder.templateParams).map(([k, t]) => [k, fill(t)]),
    );
    planned.push({
      at,
      text: fill(reminder.text),
      // A reminder of a booking stands even when the customer writes in between.
      cancelOnCustomerMessage: false,
      ...(reminder.template ? { template: reminder.template, templateParams } : {}),
    });
  }
  return planned;
}
