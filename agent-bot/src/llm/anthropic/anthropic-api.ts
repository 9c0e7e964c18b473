import { z } from 'zod';

const count = z.number().int().nonnegative().nullish();

// Loose: the provider's whole usage object is kept as `raw`, so costs can be recomputed later.
export const anthropicUsageSchema = z.looseObject({
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  cache_creation_input_tokens: count,
  cache_read_input_tokens: count,
});
export type AnthropicUsage = z.infer<typeof anthropicUsageSchema>;

/** What we rely on from a Messages API response (the SDK types it but does not check it). */
export const anthropicMessageSchema = z.object({
  id: z.string(),
  type: z.literal('message'),
  model: z.string(),
  content: z.array(
    z.union([
      z.object({ type: z.literal('text'), text: z.string() }),
      z.object({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: z.unknown() }),
      // thinking, redacted_thinking, server tool blocks: not shown to the customer.
      z.object({ type: z.string() }),
    ]),
  ),
  stop_reason: z.string().nullable(),
  usage: anthropicUsageSchema,
});
