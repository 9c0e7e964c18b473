import { z } from 'zod';

/**
 * zod schemas for every body the simulator accepts. Rails params arrive as JSON or as form fields
 * (strings), so booleans and numbers accept their string spellings too. Enum values are NOT checked
 * here where Chatwoot itself does not check them (an invalid status raises → 500, see the routes).
 */
export const boolish = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', ''])])
  .transform((value) => value === true || value === 'true' || value === '1');

export const idLike = z
  .union([z.number().int(), z.string().regex(/^\d+$/)])
  .transform((value) => Number(value));

const jsonObject = z.union([
  z.record(z.string(), z.unknown()),
  z.string().transform((value, context) => {
    try {
      const parsed: unknown = JSON.parse(value);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        return parsed as Record<string, unknown>;
    } catch {
      // fall through
    }
    context.addIssue({ code: 'custom', message: 'must be a JSON object' });
    return z.NEVER;
  }),
]);

export const templateParamsSchema = z
  .object({
    name: z.string().min(1),
    category: z.string().optional(),
    language: z.string().optional(),
    namespace: z.string().optional(),
    processed_params: z.unknown().optional(),
  })
  .passthrough();

export const createMessageSchema = z.object({
  content: z.union([z.string(), z.number().transform(String)]).nullish(),
  message_type: z.enum(['outgoing', 'incoming', 'template', 'activity']).optional(),
  private: boolish.optional(),
  content_type: z
    .enum([
      'text',
      'input_email',
      'cards',
      'input_select',
      'form',
      'article',
      'input_text',
      'input_textarea',
      'input_csat',
    ])
    .optional(),
  content_attributes: jsonObject.optional(),
  template_params: z.union([templateParamsSchema, z.string()]).optional(),
  is_voice_message: boolish.optional(),
  source_id: z.string().nullish(),
  echo_id: z.string().optional(),
  campaign_id: idLike.optional(),
  sender_type: z.string().optional(),
  sender_id: idLike.optional(),
});
export type CreateMessageBody = z.infer<typeof createMessageSchema>;

export const toggleStatusSchema = z.object({
  status: z.string().optional(),
  snoozed_until: z.union([z.number(), z.string()]).nullish(),
});

export const togglePrioritySchema = z.object({ priority: z.string().nullish() });

export const typingSchema = z.object({
  typing_status: z.string().optional(),
  is_private: boolish.optional(),
});

export const labelsSchema = z.object({ labels: z.array(z.string()).nullish() });

export const customAttributesSchema = z.object({
  custom_attributes: z.record(z.string(), z.unknown()).nullish(),
});

export const assignmentSchema = z.object({
  assignee_id: idLike.nullish(),
  assignee_type: z.string().optional(),
  team_id: idLike.nullish(),
});

export const updateConversationSchema = z.object({ priority: z.string().nullish() }).passthrough();

export const createConversationSchema = z.object({
  source_id: z.string().optional(),
  inbox_id: idLike,
  contact_id: idLike.optional(),
  status: z.string().optional(),
  assignee_id: idLike.nullish(),
  team_id: idLike.nullish(),
  additional_attributes: z.record(z.string(), z.unknown()).optional(),
  custom_attributes: z.record(z.string(), z.unknown()).optional(),
  message: z
    .object({
      content: z.string().optional(),
      template_params: templateParamsSchema.optional(),
    })
    .optional(),
});

export const updateContactSchema = z.object({
  name: z.string().optional(),
  email: z.string().nullish(),
  phone_number: z
    .string()
    .regex(/^\+[1-9]\d{1,14}$/, 'Phone number should be in e164 format')
    .nullish()
    .or(z.literal('')),
  identifier: z.string().nullish(),
  blocked: boolish.optional(),
  additional_attributes: z.record(z.string(), z.unknown()).optional(),
  custom_attributes: z.record(z.string(), z.unknown()).optional(),
});

export const setAgentBotSchema = z.object({ agent_bot: idLike.nullish() });

export const listMessagesQuery = z.object({
  before: idLike.optional(),
  after: idLike.optional(),
  filter_internal_messages: boolish.optional(),
});

/** First issue as one line, the way Rails joins `errors.full_messages`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'body'} ${issue.message}`).join(', ');
}
