import type { AssistantConfig } from '@switchboard/core';

type Weekday = 'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat';

export interface BusinessClock {
  /** e.g. "Tuesday, 25 November 2026, 14:05" in the business's timezone. */
  localDateTime: string;
  weekday: Weekday;
  /** "HH:MM" local. */
  time: string;
  /** null when no business hours are configured. */
  open: boolean | null;
}

/** Where the business is in its week, in its own timezone (the model has no clock). */
export function businessClock(
  now: Date,
  assistant: Pick<AssistantConfig, 'timezone' | 'businessHours'>,
): BusinessClock {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: assistant.timezone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(now)
      .map((part) => [part.type, part.value]),
  );
  const weekday = (parts.weekday ?? 'Mon').toLowerCase().slice(0, 3) as BusinessClock['weekday'];
  const time = `${parts.hour}:${parts.minute}`;
  const localDateTime = new Intl.DateTimeFormat('en-GB', {
    timeZone: assistant.timezone,
    dateStyle: 'full',
    timeStyle: 'short',
  }).format(now);
  const open =
    assistant.businessHours.length === 0
      ? null
      : assistant.businessHours.some(
          (slot) => slot.days.includes(weekday) && slot.open <= time && time < slot.close,
        );
  return { localDateTime, weekday, time, open };
}

export function describeBusinessHours(assistant: Pick<AssistantConfig, 'businessHours'>): string {
  return assistant.businessHours
    .map((slot) => `${slot.days.join(', ')} ${slot.open}–${slot.close}`)
    .join('; ');
}
