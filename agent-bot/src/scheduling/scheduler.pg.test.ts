import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { appointmentsSchema } from '@switchboard/core/config/tools';
import { createScheduler, type Reminders } from './scheduler.js';

let db: TestDatabase;
let webhook: http.Server;
let webhookCalls: Array<{ event: string; ics: string }> = [];
let webhookStatus = 200;

const now = new Date('2026-03-01T12:00:00Z');
const owner = { accountId: 1, conversationId: 10, contactId: 100, assistant: 'salon' };

function config(webhookUrl?: string) {
  return appointmentsSchema.parse({
    timezone: 'Europe/Berlin',
    slotStepMinutes: 30,
    workingHours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '09:00', close: '17:00' }],
    resources: { anna: { name: 'Anna' }, ben: { name: 'Ben' } },
    services: {
      cut: { name: 'Haircut', durationMinutes: 60, bufferAfterMinutes: 15, resources: ['anna'] },
      color: { name: 'Colour', durationMinutes: 90, resources: ['anna', 'ben'] },
    },
    reminders: [
      {
        minutesBefore: 1440,
        text: 'Reminder: {service} on {date} at {time} (code {code})',
        template: 'appointment_reminder',
        templateParams: { '1': '{date}', '2': '{time}' },
      },
    ],
    ...(webhookUrl ? { calendarWebhook: { url: webhookUrl, timeoutMs: 2000 } } : {}),
  });
}

function fakeReminders() {
  const scheduled: Array<{
    id: string;
    at: Date;
    text: string;
    template?: string;
    templateParams?: Record<string, string>;
  }> = [];
  const cancelled: string[] = [];
  const reminders: Reminders = {
    async scheduleFollowUp(followUp) {
      const id = `f${scheduled.length + 1}`;
      scheduled.push({ id, ...followUp });
      return id;
    },
    async cancelFollowUp(id) {
      cancelled.push(id);
    },
  };
  return { reminders, scheduled, cancelled };
}

beforeAll(async () => {
  db = await createTestDatabase({ poolSize: 25 });
  webhook = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      webhookCalls.push(JSON.parse(body) as { event: string; ics: string });
      response.statusCode = webhookStatus;
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await db?.drop();
  await new Promise((resolve) => webhook?.close(resolve));
});

describe('scheduler', () => {
  it('lets exactly one of 20 concurrent bookings of one slot succeed (exclusion constraint)', async () => {
    const scheduler = createScheduler({ pool: db.pool, config: config() });
    const start = '2026-03-02T10:00:00+01:00';
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        scheduler.book({
          service: 'cut',
          start,
          owner: { ...owner, contactId: 1000 + i, conversationId: 1000 + i },
          now,
        }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'slot_taken')).toHaveLength(19);
    const count = await db.pool.query(
      `SELECT count(*)::int AS n FROM tools_appointments WHERE status = 'booked'`,
    );
    expect(count.rows[0].n).toBe(1);
    // The buffer blocks the next half hour too: 11:00 is taken (ends 11:00 + 15 min buffer),
    // and 09:00 is not offered (its own buffer would run into 10:00).
    const overlapBuffer = await scheduler.book({
      service: 'cut',
      start: '2026-03-02T11:00:00+01:00',
      owner,
      now,
    });
    expect(overlapBuffer).toMatchObject({ ok: false, reason: 'slot_taken' });
    const slots = await scheduler.findSlots({ service: 'cut', fromDate: '2026-03-02', days: 1, now });
    expect(slots.ok && slots.slots.map((s) => s.start.slice(11, 16))).toEqual([
      '11:30',
      '12:00',
      '12:30',
      '13:00',
      '13:30',
      '14:00',
      '14:30',
      '15:00',
      '15:30',
      '16:00',
    ]);
  });

  it('picks another resource when the first is busy, and rejects a start off the grid', async () => {
    const scheduler = createScheduler({ pool: db.pool, config: config() });
    const first = await scheduler.book({ service: 'color', start: '2026-03-03T09:00:00+01:00', owner, now });
    const second = await scheduler.book({ service: 'color', start: '2026-03-03T09:00:00+01:00', owner, now });
    expect(first.ok && first.appointment.resource).toBe('anna');
    expect(second.ok && second.appointment.resource).toBe('ben');
    const offGrid = await scheduler.book({
      service: 'color',
      start: '2026-03-03T09:10:00+01:00',
      owner,
      now,
    });
    expect(offGrid).toMatchObject({ ok: false, reason: 'invalid' });
    const sunday = await scheduler.book({ service: 'color', start: '2026-03-08T10:00:00+01:00', owner, now });
    expect(sunday).toMatchObject({ ok: false, reason: 'invalid' });
    const noOffset = await scheduler.book({ service: 'color', start: '2026-03-03T10:00', owner, now });
    expect(noOffset).toMatchObject({ ok: false, reason: 'invalid' });
    const unknown = await scheduler.book({
      service: 'massage',
      start: '2026-03-03T10:00:00+01:00',
      owner,
      now,
    });
    expect(unknown.ok === false && unknown.message).toContain('Known services: cut, color');
  });

  it('books with reminders, reschedules (moving reminders) and cancels; only the owner may', async () => {
    const { reminders, scheduled, cancelled } = fakeReminders();
    const scheduler = createScheduler({ pool: db.pool, config: config() });
    const booked = await scheduler.book({
      service: 'cut',
      start: '2026-03-04T14:00:00+01:00',
      owner,
      now,
      reminders,
    });
    expect(booked.ok).toBe(true);
    if (!booked.ok) return;
    expect(scheduled).toEqual([
      {
        id: 'f1',
        at: new Date('2026-03-03T13:00:00Z'),
        text: `Reminder: Haircut on 2026-03-04 at 14:00 (code ${booked.appointment.code})`,
        template: 'appointment_reminder',
        templateParams: { '1': '2026-03-04', '2': '14:00' },
        // A booking's reminder stands when the customer writes in between.
        cancelOnCustomerMessage: false,
      },
    ]);

    const stranger = { ...owner, contactId: 999, conversationId: 99 };
    expect(await scheduler.cancel({ code: booked.appointment.code, owner: stranger, now })).toMatchObject({
      ok: false,
      reason: 'not_found',
    });

    // Moving by 30 minutes overlaps the booking's own old time: allowed, in one transaction.
    const moved = await scheduler.reschedule({
      code: booked.appointment.code,
      start: '2026-03-04T14:30:00+01:00',
      owner,
      now,
      reminders,
    });
    expect(moved.ok && moved.appointment.start).toBe('2026-03-04T14:30:00+01:00');
    expect(moved.ok && moved.appointment.code).toBe(booked.appointment.code);
    expect(cancelled).toEqual(['f1']);
    expect(scheduled).toHaveLength(2);

    const blocker = await scheduler.book({
      service: 'cut',
      start: '2026-03-04T16:00:00+01:00',
      owner: stranger,
      now,
    });
    expect(blocker.ok).toBe(true);
    const conflict = await scheduler.reschedule({
      code: booked.appointment.code,
      start: '2026-03-04T16:00:00+01:00',
      owner,
      now,
      reminders,
    });
    expect(conflict).toMatchObject({ ok: false, reason: 'slot_taken' });
    const mine = (await scheduler.upcoming(owner, now)).filter((a) => a.code === booked.appointment.code);
    expect(mine).toEqual([expect.objectContaining({ start: '2026-03-04T14:30:00+01:00' })]);

    const gone = await scheduler.cancel({
      code: booked.appointment.code.toLowerCase(),
      owner,
      now,
      reminders,
    });
    expect(gone.ok).toBe(true);
    expect(cancelled).toEqual(['f1', 'f2']);
    expect(await scheduler.cancel({ code: booked.appointment.code, owner, now })).toMatchObject({
      ok: false,
      reason: 'not_found',
    });
  });

  it('posts changes with the .ics to the calendar webhook; a failing calendar does not undo the booking', async () => {
    const { port } = webhook.address() as AddressInfo;
    const scheduler = createScheduler({ pool: db.pool, config: config(`http://127.0.0.1:${port}/calendar`) });
    webhookCalls = [];
    const booked = await scheduler.book({ service: 'cut', start: '2026-03-05T09:00:00+01:00', owner, now });
    expect(booked.ok && booked.appointment.calendarSynced).toBe(true);
    expect(webhookCalls[0]!.event).toBe('booked');
    expect(webhookCalls[0]!.ics).toContain('DTSTART:20260305T080000Z');
    expect(webhookCalls[0]!.ics).toContain('METHOD:REQUEST');
    webhookStatus = 503;
    const second = await scheduler.book({ service: 'cut', start: '2026-03-05T11:00:00+01:00', owner, now });
    expect(second.ok && second.appointment.calendarSynced).toBe(false);
    webhookStatus = 200;
    if (booked.ok) await scheduler.cancel({ code: booked.appointment.code, owner, now });
    expect(webhookCalls.at(-1)!.event).toBe('cancelled');
    expect(webhookCalls.at(-1)!.ics).toContain('STATUS:CANCELLED');
  });

  it('exports live bookings as iCalendar', async () => {
    const scheduler = createScheduler({ pool: db.pool, config: config() });
    const ics = await scheduler.exportIcs({
      from: new Date('2026-03-05T00:00:00Z'),
      until: new Date('2026-03-06T00:00:00Z'),
      now,
    });
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0')).toBe(true);
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(1);
    expect(ics).toContain('DTSTART:20260305T100000Z');
    expect(ics).toContain('SUMMARY:Haircut (Anna)');
  });

  it('reports an unreachable database as a thrown error (the tool turns it into a tool error)', async () => {
    const broken = await createTestDatabase({ migrate: false });
    await broken.drop();
    const scheduler = createScheduler({ pool: broken.pool, config: config() });
    await expect(scheduler.findSlots({ service: 'cut', now })).rejects.toThrow();
  });
});
