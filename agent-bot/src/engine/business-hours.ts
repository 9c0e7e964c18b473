import type { AssistantConfig } from '@switchboard/core';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export interface BusinessHoursState {
  /** True when no business hours are configured (always open). */
  open: boolean;
  nextOpenAt: string | null;
}

/** Whether humans are in, per the assistant's business hours in its time zone. */
export function businessHours(
  assistant: Pick<AssistantConfig, 'businessHours' | 'timezone'>,
  now: Date,
): BusinessHoursState {
  if (assistant.businessHours.length === 0) return { open: true, nextOpenAt: null };
  if (isOpen(assistant, now)) return { open: true, nextOpenAt: null };
  // Step forward in 15-minute slots (a week at most) to say when humans are back.
  for (let step = 1; step <= 7 * 24 * 4; step++) {
    const candidate = new Date(Math.ceil(now.getTime() / 900_000) * 900_000 + (step - 1) * 900_000);
    if (isOpen(assistant, candidate)) return { open: false, nextOpenAt: candidate.toISOString() };
  }
  return { open: false, nextOpenAt: null };
}

function isOpen(assistant: Pick<AssistantConfig, 'businessHours' | 'timezone'>, at: Date): boolean {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: assistant.timezone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const weekday = parts
    .find((p) => p.type === 'weekday')!
    .value.toLowerCase()
    .slice(0, 3);
  const time = `${parts.find((p) => p.type === 'hour')!.value}:${parts.find((p) => p.type === 'minute')!.value}`;
  const day = DAYS.find((d) => d === weekday);
  return assistant.businessHours.some(
    (rule) => day !== undefined && rule.days.includes(day) && time >= rule.open && time < rule.close,
  );
}
