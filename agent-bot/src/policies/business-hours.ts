import type { AssistantConfig } from '@switchboard/core';
import { toZoned, type Weekday } from '../scheduling/zoned-time.js';

/**
 * "Is the business open": the one rule, used by the engine (hand off outside hours), the
 * prompt (the model has no clock) and the offline assistant. Business hours are written in the
 * business's local time, so they are compared in its time zone (scheduling/zoned-time.ts).
 */
type Hours = Pick<AssistantConfig, 'businessHours' | 'timezone'>;

/** Open at `at`: some slot covers its local weekday and time. */
export function isOpenAt(assistant: Hours, at: Date): boolean {
  const { weekday, time } = toZoned(at, assistant.timezone);
  return assistant.businessHours.some(
    (slot) => slot.days.includes(weekday) && slot.open <= time && time < slot.close,
  );
}

export interface BusinessHoursState {
  /** True when no business hours are configured (always open). */
  open: boolean;
  nextOpenAt: string | null;
}

/** Whether humans are in, and when they are back. */
export function businessHours(assistant: Hours, now: Date): BusinessHoursState {
  if (assistant.businessHours.length === 0) return { open: true, nextOpenAt: null };
  if (isOpenAt(assistant, now)) return { open: true, nextOpenAt: null };
  // Step forward in 15-minute slots (a week at most) to say when humans are back.
  for (let step = 1; step <= 7 * 24 * 4; step++) {
    const candidate = new Date(Math.ceil(now.getTime() / 900_000) * 900_000 + (step - 1) * 900_000);
    if (isOpenAt(assistant, candidate)) return { open: false, nextOpenAt: candidate.toISOString() };
  }
  return { open: false, nextOpenAt: null };
}

export interface BusinessClock {
  /** e.g. "Tuesday, 25 November 2026, 14:05" in the business's timezone. */
  localDateTime: string;
  weekday: Weekday;
  /** "HH:MM" local. */
  time: string;
  /** null when no business hours are configured. */
  open: boolean | null;
}

/** Where the business is in its week, in its own timezone (for the prompt: the model has no clock). */
export function businessClock(now: Date, assistant: Hours): BusinessClock {
  const { weekday, time } = toZoned(now, assistant.timezone);
  const localDateTime = new Intl.DateTimeFormat('en-GB', {
    timeZone: assistant.timezone,
    dateStyle: 'full',
    timeStyle: 'short',
  }).format(now);
  const open = assistant.businessHours.length === 0 ? null : isOpenAt(assistant, now);
  return { localDateTime, weekday, time, open };
}

export function describeBusinessHours(assistant: Pick<AssistantConfig, 'businessHours'>): string {
  return assistant.businessHours
    .map((slot) => `${slot.days.join(', ')} ${slot.open}–${slot.close}`)
    .join('; ');
}
