import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { appointmentsSchema } from '@switchboard/core/config/tools';
import { fakeConversation, runScriptedTools, testTurn } from '../../assistant/testing/tool-test-kit.js';
import { createAppointmentTools } from './appointment-tools.js';

let db: TestDatabase;
const config = appointmentsSchema.parse({
  timezone: 'Europe/Berlin',
  slotStepMinutes: 60,
  workingHours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '09:00', close: '12:00' }],
  resources: { anna: { name: 'Anna' } },
  services: { cut: { name: 'Haircut', durationMinutes: 60, resources: ['anna'] } },
  reminders: [
    {
      minutesBefore: 120,
      text: 'See you at {time} for your {service}',
      template: 'appointment_reminder',
      templateParams: { '1': '{time}' },
    },
  ],
});

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('appointment tools through the tool loop', () => {
  it('find → book → list → reschedule → cancel, with reminders and agent notes', async () => {
    const conversation = fakeConversation();
    const turn = testTurn(conversation);
    const tools = createAppointmentTools({ pool: db.pool, config });
    const first = await runScriptedTools(
      tools,
      [
        [{ name: 'find_slots', arguments: { service: 'cut', fromDate: '2026-03-02', days: 1 } }],
        [{ name: 'book_appointment', arguments: { service: 'cut', start: '2026-03-02T10:00:00+01:00' } }],
      ],
      turn,
    );
    const [slots, booked] = first.results as [
      { slots: Array<{ start: string; label: string }> },
      { done: boolean; appointment: { code: string }; confirmation: string },
    ];
    expect(slots.slots.map((s) => s.start)).toEqual([
      '2026-03-02T09:00:00+01:00',
      '2026-03-02T10:00:00+01:00',
      '2026-03-02T11:00:00+01:00',
    ]);
    expect(slots.slots[0]!.label).toBe('Monday, March 2, 2026 at 9:00 AM');
    expect(booked.done).toBe(true);
    expect(booked.confirmation).toBe(
      `Booked: Haircut with Anna, Monday, March 2, 2026 at 10:00 AM (Europe/Berlin). Booking code ${booked.appointment.code}.`,
    );
    expect(conversation.followUps).toEqual([
      {
        id: 'followup-1',
        at: new Date('2026-03-02T07:00:00Z'),
        text: 'See you at 10:00 for your Haircut',
        template: 'appointment_reminder',
        templateParams: { '1': '10:00' },
        cancelOnCustomerMessage: false,
      },
    ]);
    expect(conversation.notes).toEqual([`📅 ${booked.confirmation}`]);

    const code = booked.appointment.code;
    const second = await runScriptedTools(
      tools,
      [
        [{ name: 'list_appointments', arguments: {} }],
        [{ name: 'reschedule_appointment', arguments: { code, start: '2026-03-02T11:00:00+01:00' } }],
        [{ name: 'find_slots', arguments: { service: 'cut', fromDate: '2026-03-02', days: 1 } }],
        [{ name: 'cancel_appointment', arguments: { code } }],
        [{ name: 'cancel_appointment', arguments: { code } }],
      ],
      turn,
    );
    const [listed, moved, after, cancelled, again] = second.results as Array<Record<string, unknown>>;
    expect(listed).toEqual({
      appointments: [expect.objectContaining({ code, start: '2026-03-02T10:00:00+01:00' })],
    });
    expect(moved).toMatchObject({ done: true, appointment: { code, start: '2026-03-02T11:00:00+01:00' } });
    expect((after as { slots: Array<{ start: string }> }).slots.map((s) => s.start)).toEqual([
      '2026-03-02T09:00:00+01:00',
      '2026-03-02T10:00:00+01:00',
    ]);
    expect(cancelled).toMatchObject({ done: true, cancelled: { code } });
    expect(again).toMatchObject({ done: false, reason: 'not_found' });
    expect(conversation.cancelledFollowUps).toEqual(['followup-1', 'followup-2']);
    expect(second.events.every((e) => (e.payload as { outcome: string }).outcome === 'ok')).toBe(true);
  });

  it('answers a taken slot, a bad time and bad arguments with results the model can act on', async () => {
    const tools = createAppointmentTools({ pool: db.pool, config });
    const other = testTurn(fakeConversation(), {
      conversationId: 8,
      customer: { contactId: 43, name: 'Ines', phone: '+4915199999999', email: null, attributes: {} },
    });
    const mine = testTurn(fakeConversation());
    await runScriptedTools(
      tools,
      [[{ name: 'book_appointment', arguments: { service: 'cut', start: '2026-03-03T09:00:00+01:00' } }]],
      other,
    );
    const { results, events } = await runScriptedTools(
      tools,
      [
        [{ name: 'book_appointment', arguments: { service: 'cut', start: '2026-03-03T09:00:00+01:00' } }],
        [{ name: 'book_appointment', arguments: { service: 'cut', start: '2026-03-03T13:00:00+01:00' } }],
        [{ name: 'book_appointment', arguments: { service: 'massage', start: 'tomorrow' } }],
        [{ name: 'list_appointments', arguments: {} }],
      ],
      mine,
    );
    expect(results[0]).toMatchObject({ done: false, reason: 'slot_taken' });
    expect(results[1]).toMatchObject({
      done: false,
      reason: 'invalid',
      error: expect.stringContaining('Call find_slots'),
    });
    expect((results[2] as { error: string }).error).toMatch(/Invalid arguments. service/);
    // Another customer's booking is invisible to this one.
    expect(results[3]).toEqual({ appointments: [] });
    expect(events.map((e) => (e.payload as { outcome: string }).outcome)).toEqual([
      'ok',
      'ok',
      'invalid_arguments',
      'ok',
    ]);
  });

  it('reports an unreachable database as a tool error', async () => {
    const broken = await createTestDatabase({ migrate: false });
    await broken.drop();
    const tools = createAppointmentTools({ pool: broken.pool, config });
    const { results, events } = await runScriptedTools(
      tools,
      [[{ name: 'find_slots', arguments: { service: 'cut' } }]],
      testTurn(fakeConversation()),
    );
    expect((results[0] as { error: string }).error).toMatch(/^The tool failed/);
    expect(events[0]).toMatchObject({ payload: { outcome: 'error' } });
  });
});
