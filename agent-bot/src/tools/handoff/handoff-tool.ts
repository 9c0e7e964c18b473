import { z } from 'zod';
import { defineTool, type Tool } from '../tool.js';
import { validateCallbackNumber, validateCallbackTime } from './callback.js';

const ASK_AGAIN =
  'Ask the customer again for the call-back details, explaining the problem briefly; then call this tool again.';

const parameters = z.strictObject({
  summary: z
    .string()
    .min(5)
    .max(1000)
    .describe('For the human colleague: what the customer wants and what was tried, in a few sentences.'),
  customerMessage: z
    .string()
    .max(500)
    .optional()
    .describe('What to tell the customer now, in their language (e.g. that a colleague will reply).'),
  callbackNumber: z
    .string()
    .max(40)
    .optional()
    .describe('When the customer asked to be called back: their phone number exactly as they wrote it.'),
  callbackAt: z
    .string()
    .max(40)
    .optional()
    .describe(
      'When the customer wants the call: ISO 8601 date-time with offset (see the current time in the prompt). Omit for "when the team is back".',
    ),
});

/** How far ahead a call back may be asked for. */
const CALLBACK_MAX_DAYS = 14;

/**
 * Lets the model hand the conversation to a human: when the customer asks for one, is upset,
 * or needs something the assistant cannot do. The engine assigns, labels and notes it.
 */
export function createHandoffTool(): Tool<typeof parameters> {
  return defineTool({
    name: 'handoff_to_human',
    description:
      'Hand the conversation to a human colleague. Use it when the customer asks for a person, when they ' +
      'are upset, or when you cannot help with the tools and knowledge you have. Do not use it for questions you can answer. ' +
      'Outside business hours you may offer a call back: pass the number (and time) the customer gives.',
    parameters,
    async execute(args, context) {
      const policy = context.assistant.conversation.handoff;
      const { turn } = context;
      let callback: { number: string; at: string | null } | undefined;
      if (args.callbackNumber !== undefined) {
        // A number or time that does not check out is asked for again before handing off.
        const number = validateCallbackNumber(
          args.callbackNumber,
          turn.customer.phone,
          context.assistant.language,
          turn.now,
        );
        if (!number.ok)
          return { handedOff: false, invalid: { callbackNumber: number.problem }, instruction: ASK_AGAIN };
        const at =
          args.callbackAt === undefined
            ? null
            : validateCallbackTime(args.callbackAt, turn.now, CALLBACK_MAX_DAYS);
        if (at && !at.ok)
          return { handedOff: false, invalid: { callbackAt: at.problem }, instruction: ASK_AGAIN };
        callback = { number: number.number, at: at ? at.at.toISOString() : null };
      }
      context.requestHandoff({
        reason: 'model_tool',
        summary: args.summary,
        ...((args.customerMessage ?? policy.customerMessage)
          ? { customerMessage: args.customerMessage ?? policy.customerMessage }
          : {}),
        ...(policy.teamId !== undefined ? { teamId: policy.teamId } : {}),
        ...(policy.assigneeId !== undefined ? { assigneeId: policy.assigneeId } : {}),
        ...(callback ? { callback } : {}),
      });
      return { handedOff: true, ...(callback ? { callback } : {}) };
    },
  });
}
