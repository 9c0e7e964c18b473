import type { ToolsConfig } from '@switchboard/core';
import { z } from 'zod';
import { parseOffsetDateTime } from '../../scheduling/zoned-time.js';
import { defineTool, type Tool } from '../tool.js';

/**
 * Lets the model keep a promise ("I'll remind you tomorrow at 9"). The engine holds the
 * follow-up: it sends it at that time, as the configured template when the 24-hour window has
 * closed by then, and cancels it if the customer writes first.
 */
const parameters = z.strictObject({
  at: z
    .string()
    .describe(
      'When to send it: ISO 8601 date-time with offset, e.g. 2026-03-02T09:00:00+01:00 (see the current time in the prompt).',
    ),
  message: z.string().min(1).max(1000).describe('The message to send then, in the customer’s language.'),
});

export function createScheduleFollowUpTool(options: {
  followUps: ToolsConfig['followUps'];
}): Tool<typeof parameters> {
  return defineTool({
    name: 'schedule_follow_up',
    description:
      'Schedule a message to the customer for later, when you have promised to get back to them. It is not ' +
      'sent if the customer writes again before then. Do not use it for appointment reminders (booking does that).',
    parameters,
    async execute(args, context) {
      const { turn } = context;
      const at = parseOffsetDateTime(args.at);
      if (!at) {
        return {
          scheduled: false,
          error: 'at must be a real ISO date-time with an offset, e.g. 2026-03-02T09:00:00+01:00.',
        };
      }
      if (at.getTime() < turn.now.getTime() + 60_000)
        return { scheduled: false, error: 'at must be in the future.' };
      const latest = turn.now.getTime() + options.followUps.maxDaysAhead * 24 * 60 * 60_000;
      if (at.getTime() > latest) {
        return { scheduled: false, error: `at must be within ${options.followUps.maxDaysAhead} days.` };
      }
      const template = options.followUps.template;
      const id = await turn.actions.scheduleFollowUp({
        at,
        text: args.message,
        ...(template ? { template, templateParams: { '1': args.message } } : {}),
      });
      return { scheduled: true, id, at: at.toISOString() };
    },
  });
}
