import { z } from 'zod';
import { conversationPolicySchema } from './conversation-policy.js';

/**
 * Assistants: named configurations mapped to Chatwoot inboxes (see chatwoot.inboxes).
 * Owned by the assistant/providers part (agent-bot/src/assistant, agent-bot/src/llm).
 */
export const modelRefSchema = z.strictObject({
  provider: z.enum(['openai', 'anthropic', 'gemini', 'openai-compatible', 'offline']),
  model: z.string().min(1),
  /** For openai-compatible (and proxies): the API base URL. */
  baseUrl: z.string().url().optional(),
  /** Usually ${OPENAI_API_KEY} etc.; absent key → the provider is skipped (offline fallback). */
  apiKey: z.string().optional(),
});

export const assistantSchema = z.strictObject({
  name: z.string().min(1),
  systemPrompt: z.string().min(1),
  /** Formatting guidance per channel, added to the system prompt. */
  channelGuidance: z.partialRecord(z.enum(['whatsapp', 'web', 'api', 'test']), z.string()).default({}),
  language: z.string().default('en'),
  model: modelRefSchema.default({ provider: 'offline', model: 'offline' }),
  fallbacks: z.array(modelRefSchema).default([]),
  temperature: z.number().min(0).max(2).default(0.3),
  maxOutputTokens: z.number().int().positive().default(800),
  /** Names of enabled tools (knowledge_search, handoff_to_human, ...). */
  tools: z.array(z.string()).default([]),
  knowledgeBases: z.array(z.string()).default([]),
  /** Passages retrieved into the prompt for every turn (and the offline assistant's threshold). */
  knowledge: z
    .strictObject({
      passages: z.number().int().min(0).max(20).default(4),
      /** Below this score a passage is not used; unset: kb-ingest's own miss decision. */
      minScore: z.number().min(0).max(1).optional(),
    })
    .default({ passages: 4 }),
  /** Model calls per turn, tool rounds included; then the turn ends (or hands off). */
  maxToolSteps: z.number().int().min(1).max(20).default(6),
  /** Per provider: timeout per call, attempts on 429/5xx, backoff; then the next fallback. */
  resilience: z
    .strictObject({
      callTimeoutMs: z.number().int().min(1000).default(30_000),
      maxAttempts: z.number().int().min(1).max(6).default(3),
      baseDelayMs: z.number().int().min(0).default(500),
      maxDelayMs: z.number().int().min(0).default(8000),
    })
    .default({ callTimeoutMs: 30_000, maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 8000 }),
  timezone: z.string().default('UTC'),
  businessHours: z
    .array(
      z.strictObject({
        days: z.array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])),
        open: z.string().regex(/^\d{2}:\d{2}$/),
        close: z.string().regex(/^\d{2}:\d{2}$/),
      }),
    )
    .default([]),
  budget: z
    .strictObject({
      monthlyUsd: z
        .string()
        .regex(/^\d+(\.\d+)?$/)
        .optional(),
      perConversationUsd: z
        .string()
        .regex(/^\d+(\.\d+)?$/)
        .optional(),
      whenExhausted: z.enum(['handoff', 'cheaper_model', 'knowledge_only']).default('handoff'),
      cheaperModel: modelRefSchema.optional(),
    })
    .default({ whenExhausted: 'handoff' })
    .refine((budget) => budget.whenExhausted !== 'cheaper_model' || budget.cheaperModel !== undefined, {
      message: 'whenExhausted: cheaper_model needs budget.cheaperModel',
    }),
  conversation: conversationPolicySchema,
});

export const assistantsSchema = z.record(z.string(), assistantSchema).default({});

export type AssistantConfig = z.infer<typeof assistantSchema>;
export type ModelRef = z.infer<typeof modelRefSchema>;
