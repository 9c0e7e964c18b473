import { z } from 'zod';

/**
 * The parts of a Chat Completions response we rely on. The SDK types the response but does
 * not check it; a proxy or an OpenAI-compatible server can send anything, so it is parsed.
 */
const count = z.number().int().nonnegative().nullish();

// Loose: the provider's whole usage object is kept as `raw`, so costs can be recomputed later.
export const openaiUsageSchema = z.looseObject({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  total_tokens: z.number().int().nonnegative().optional(),
  prompt_tokens_details: z.looseObject({ cached_tokens: count, audio_tokens: count }).nullish(),
  completion_tokens_details: z.looseObject({ reasoning_tokens: count, audio_tokens: count }).nullish(),
});
export type OpenAIUsage = z.infer<typeof openaiUsageSchema>;

export const openaiChatResponseSchema = z.object({
  id: z.string().optional(),
  model: z.string(),
  choices: z
    .array(
      z.object({
        index: z.number().int(),
        message: z.object({
          role: z.literal('assistant'),
          content: z.string().nullish(),
          refusal: z.string().nullish(),
          tool_calls: z
            .array(
              z.object({
                id: z.string(),
                type: z.literal('function'),
                function: z.object({ name: z.string(), arguments: z.string() }),
              }),
            )
            .nullish(),
        }),
        finish_reason: z.string().nullable(),
      }),
    )
    .min(1),
  usage: openaiUsageSchema.nullish(),
});
export type OpenAIChatResponse = z.infer<typeof openaiChatResponseSchema>;
