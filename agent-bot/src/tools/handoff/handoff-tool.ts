import { z } from 'zod';
import { defineTool, type Tool } from '../tool.js';

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
});

/**
 * Lets the model hand the conversation to a human: when the customer asks for one, is upset,
 * or needs something the assistant cannot do. The engine assigns, labels and notes it.
 */
export function createHandoffTool(): Tool<typeof parameters> {
  return defineTool({
    name: 'handoff_to_human',
    description:
      'Hand the conversation to a human colleague. Use it when the customer asks for a person, when they ' +
      'are upset, or when you cannot help with the tools and knowledge you have. Do not use it for questions you can answer.',
    parameters,
    async execute(args, context) {
      const policy = context.assistant.conversation.handoff;
      context.requestHandoff({
        reason: 'model_tool',
        summary: args.summary,
        ...((args.customerMessage ?? policy.customerMessage)
          ? { customerMessage: args.customerMessage ?? policy.customerMessage }
          : {}),
        ...(policy.teamId !== undefined ? { teamId: policy.teamId } : {}),
        ...(policy.assigneeId !== undefined ? { assigneeId: policy.assigneeId } : {}),
      });
      return { handedOff: true };
    },
  });
}
