import { describe, expect, it } from 'vitest';
import { appointmentsSchema } from '@switchboard/core/config/tools';
import { findFreeSlots, isOfferedStart } from './availability.js';
import { toOffsetIso, zonedToInstant } from './zoned-time.js';

const config = appointmentsSchema.parse({
  timezone: 'Europe/Berlin',
  slotStepMinutes: 30,
  minNoticeMinutes: 60,
  maxDaysAhead: 30,
  workingHours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '09:00', close: '12:00' }],
  resources: {
    anna: { name: 'Anna' },
    ben: { name: 'Ben', workingHours: [{ days: ['sat'], open: '10:00', close: '11:00' }] },
  },
  services: {
    cut: { name: 'Haircut', durationMinutes: 60, bufferAfterMinutes: 30, resources: ['anna', 'ben'] },
  },
  exceptions: [
    { date: '2026-03-03', resources: ['anna'] },
    { date: '2026-03-04', hours: [{ open: '14:00', close: '15:00' }] },
  ],
});

const monday = new Date('2026-03-01T12:00:00Z'); // a Sunday noon: Monday is bookable

describe('findFreeSlots', () => {
  it('offers grid starts inside working hours in the business timezone', () => {
    const slots = findFreeSlots(
      config,
      { service: 'cut', fromDate: '2026-03-02', toDate: '2026-03-02', now: monday },
      [],
    );
    expect(slots.map((s) => toOffsetIso(s.start, 'Europe/Berlin'))).toEqual([
      '2026-03-02T09:00:00+01:00',
      '2026-03-02T09:30:00+01:00',
      '2026-03-02T10:00:00+01:00',
      '2026-03-02T10:30:00+01:00',
      '2026-03-02T11:00:00+01:00',
    ]);
    expect(new Set(slots.map((s) => s.resource))).toEqual(new Set(['anna']));
  });

  it('keeps a slot clear of a booking including its buffer', () => {
    const busy = [
      {
        resource: 'anna',
        from: zonedToInstant('2026-03-02', 9 * 60, 'Europe/Berlin'),
        until: zonedToInstant('2026-03-02', 10 * 60 + 30, 'Europe/Berlin'),
      },
    ];
    const slots = findFreeSlots(
      config,
      { service: 'cut', fromDate: '2026-03-02', toDate: '2026-03-02', now: monday },
      busy,
    );
    // 10:00 would end 11:00 but its after-buffer is fine; it starts inside the busy range though.
    expect(slots.map((s) => toOffsetIso(s.start, 'Europe/Berlin').slice(11, 16))).toEqual(['10:30', '11:00']);
  });

  it('applies exceptions: closed for one resource, special hours for everyone', () => {
    expect(
      findFreeSlots(
        config,
        { service: 'cut', fromDate: '2026-03-03', toDate: '2026-03-03', now: monday },
        [],
      ),
    ).toEqual([]);
    const special = findFreeSlots(
      config,
      { service: 'cut', fromDate: '2026-03-04', toDate: '2026-03-04', now: monday },
      [],
    );
    expect(special.map((s) => [s.resource, toOffsetIso(s.start, 'Europe/Berlin')])).toEqual([
      ['anna', '2026-03-04T14:00:00+01:00'],
      ['ben', '2026-03-04T14:00:00+01:00'],
    ]);
  });

  it('uses a resource’s own hours and respects the notice period', () => {
    const saturday = findFreeSlots(
      config,
      { service: 'cut', fromDate: '2026-03-07', toDate: '2026-03-07', now: monday },
      [],
    );
    expect(saturday.map((s) => [s.resource, toOffsetIso(s.start, 'Europe/Berlin')])).toEqual([
      ['ben', '2026-03-07T10:00:00+01:00'],
    ]);
    const soon = new Date('2026-03-02T08:15:00Z'); // 09:15 Berlin: 10:15 is the earliest
    const slots = findFreeSlots(
      config,
      { service: 'cut', fromDate: '2026-03-02', toDate: '2026-03-02', now: soon },
      [],
    );
    expect(slots[0] && toOffsetIso(slots[0].start, 'Europe/Berlin')).toBe('2026-03-02T10:30:00+01:00');
  });

  it('follows daylight saving time (Berlin switches on 29 March 2026)', () => {
    const slots = findFreeSlots(
      config,
      { service: 'cut', fromDate: '2026-03-30', toDate: '2026-03-30', now: monday },
      [],
    );
    expect(slots[0]!.start.toISOString()).toBe('2026-03-30T07:00:00.000Z');
    expect(toOffsetIso(slots[0]!.start, 'Europe/Berlin')).toBe('2026-03-30T09:00:00+02:00');
  });

  it('recognises only offered starts', () => {
    const start = zonedToInstant('2026-03-02', 9 * 60 + 30, 'Europe/Berlin');
    expect(isOfferedStart(config, 'cut', 'anna', start, '2026-03-02', monday)).toBe(true);
    const offGrid = zonedToInstant('2026-03-02', 9 * 60 + 10, 'Europe/Berlin');
    expect(isOfferedStart(config, 'cut', 'anna', offGrid, '2026-03-02', monday)).toBe(false);
    const late = zonedToInstant('2026-03-02', 11 * 60 + 30, 'Europe/Berlin');
    expect(isOfferedStart(config, 'cut', 'anna', late, '2026-03-02', monday)).toBe(false);
  });
});
