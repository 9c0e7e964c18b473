import type { AppointmentsConfig } from '@switchboard/core';
import type pg from 'pg';
import { z } from 'zod';
import { createScheduler, type AppointmentView, type Outcome } from '../../scheduling/scheduler.js';
import type { BookingOwner } from '../../scheduling/appointment-store.js';
import { defineTool, type Tool, type ToolContext } from '../tool.js';

/**
 * find_slots, book_appointment, reschedule_appointment, cancel_appointment, list_appointments:
 * thin tools over the scheduling module. The model works only with what find_slots returned
 * (service keys, resource keys, starts with offsets) and booking codes; a customer can only
 * see and change their own bookings.
 */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
const code = z.string().trim().min(4).max(12).describe('The booking code the customer got when booking.');
const start = z.string().describe('A start exactly as returned by find_slots (ISO 8601 with offset).');

export function createAppointmentTools(options: {
  pool: pg.Pool;
  config: AppointmentsConfig;
  fetch?: typeof fetch;
  onWebhookError?: (error: unknown) => void;
}): Tool[] {
  const { config } = options;
  const serviceKeys = Object.keys(config.services) as [string, ...string[]];
  const resourceKeys = Object.keys(config.resources) as [string, ...string[]];
  const service = z
    .enum(serviceKeys)
    .describe(
      `The service: ${serviceKeys.map((k) => `${k} = ${config.services[k]!.name} (${config.services[k]!.durationMinutes} min)`).join('; ')}`,
    );
  const resource = z
    .enum(resourceKeys)
    .optional()
    .describe(
      `Only if the customer asked for someone/something specific: ${resourceKeys.map((k) => `${k} = ${config.resources[k]!.name}`).join('; ')}`,
    );

  const schedulerFor = (context: ToolContext) =>
    createScheduler({
      pool: options.pool,
      config,
      locale: context.assistant.language,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.onWebhookError ? { onWebhookError: options.onWebhookError } : {}),
    });
  const ownerOf = (context: ToolContext): BookingOwner => ({
    accountId: context.turn.accountId,
    conversationId: context.turn.conversationId,
    contactId: context.turn.customer.contactId,
    assistant: context.turn.assistant,
  });
  const failure = (outcome: Extract<Outcome<object>, { ok: false }>) => ({
    done: false,
    reason: outcome.reason,
    error: outcome.message,
  });
  const confirm = (verb: string, a: AppointmentView) =>
    `${verb}: ${a.serviceName} with ${a.resourceName}, ${a.label} (${config.timezone}). Booking code ${a.code}.`;
  // Agents see every booking change in the conversation, not only in the tool trace.
  const note = async (context: ToolContext, text: string) => {
    await context.turn.actions.addPrivateNote(`📅 ${text}`).catch(() => undefined);
  };

  const findSlots = defineTool({
    name: 'find_slots',
    description:
      'Find free appointment times. Call it before booking or rescheduling, and offer the customer a few of the ' +
      'returned times (use their labels). Times are in the business timezone.',
    parameters: z.strictObject({
      service,
      fromDate: isoDate
        .optional()
        .describe('First day to search (YYYY-MM-DD, business timezone); default today.'),
      days: z.number().int().min(1).max(31).optional().describe('How many days to search; default 7.'),
      resource,
    }),
    async execute(args, context) {
      const result = await schedulerFor(context).findSlots({ ...args, now: context.turn.now });
      if (!result.ok) return failure(result);
      return result.slots.length > 0
        ? { timezone: result.timezone, slots: result.slots }
        : { timezone: result.timezone, slots: [], note: 'No free times in that range; try later dates.' };
    },
  });

  const book = defineTool({
    name: 'book_appointment',
    description:
      'Book an appointment at a time from find_slots, after the customer has chosen it. On success tell the customer ' +
      'the confirmation (with the booking code). If the time was just taken, say so and offer other times.',
    parameters: z.strictObject({ service, start, resource }),
    async execute(args, context) {
      const result = await schedulerFor(context).book({
        ...args,
        owner: ownerOf(context),
        now: context.turn.now,
        reminders: context.turn.actions,
      });
      if (!result.ok) return failure(result);
      await note(context, confirm('Booked', result.appointment));
      return {
        done: true,
        appointment: result.appointment,
        confirmation: confirm('Booked', result.appointment),
      };
    },
  });

  const reschedule = defineTool({
    name: 'reschedule_appointment',
    description: 'Move the customer’s appointment (by booking code) to another time from find_slots.',
    parameters: z.strictObject({ code, start, resource }),
    async execute(args, context) {
      const result = await schedulerFor(context).reschedule({
        ...args,
        owner: ownerOf(context),
        now: context.turn.now,
        reminders: context.turn.actions,
      });
      if (!result.ok) return failure(result);
      await note(context, `${confirm('Rescheduled', result.appointment)} (was ${result.previous.label})`);
      return {
        done: true,
        appointment: result.appointment,
        confirmation: confirm('Rescheduled', result.appointment),
      };
    },
  });

  const cancel = defineTool({
    name: 'cancel_appointment',
    description:
      'Cancel the customer’s appointment by booking code, after they confirmed they want to cancel.',
    parameters: z.strictObject({ code }),
    async execute(args, context) {
      const result = await schedulerFor(context).cancel({
        ...args,
        owner: ownerOf(context),
        now: context.turn.now,
        reminders: context.turn.actions,
      });
      if (!result.ok) return failure(result);
      await note(context, confirm('Cancelled', result.appointment));
      return { done: true, cancelled: result.appointment };
    },
  });

  const list = defineTool({
    name: 'list_appointments',
    description:
      'List the customer’s upcoming appointments (with booking codes), e.g. when they ask when it was or want to change it.',
    parameters: z.strictObject({}),
    async execute(_args, context) {
      return { appointments: await schedulerFor(context).upcoming(ownerOf(context), context.turn.now) };
    },
  });

  return [findSlots, book, reschedule, cancel, list];
}
