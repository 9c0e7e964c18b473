import { z } from 'zod';

/**
 * How an assistant behaves in a conversation: burst merge, handoff, window and resume.
 * Owned by the conversation engine (agent-bot/src/engine); embedded in each assistant.
 */
export const conversationPolicySchema = z
  .strictObject({
    /** Quiet time after the last customer message before answering (burst merge). */
    burstQuietMs: z.number().int().min(0).max(30_000).default(1500),
    /** Longest a burst may delay an answer. */
    burstMaxWaitMs: z.number().int().min(0).max(120_000).default(8000),
    /** Per-turn deadline for generating an answer. */
    turnDeadlineMs: z.number().int().min(1000).default(60_000),
    /** Answer conversations in these statuses (the bot owns `pending`). */
    answerStatuses: z.array(z.enum(['pending', 'open'])).default(['pending']),
    /** Include private notes in the model's context. */
    includePrivateNotes: z.boolean().default(false),
    handoff: z
      .strictObject({
        /** Extra words/phrases that hand off (besides the built-in "talk to a human" phrases). */
        keywords: z.array(z.string()).default([]),
        /** Consecutive failed turns/tool calls before handing off. */
        maxConsecutiveFailures: z.number().int().min(1).default(3),
        teamId: z.number().int().optional(),
        assigneeId: z.number().int().optional(),
        /**
         * What the customer is told, in the assistant's language; the bot's own wording in
         * the customer's language when they write another one. Outside business hours the
         * bot adds when the team replies ("Our team replies from 9:00 on Monday.").
         */
        customerMessage: z.string().optional(),
        /** The same per language the customer writes in (primary subtag: en, pt, es, de ...). */
        customerMessages: z.record(z.string().regex(/^[a-z]{2,3}$/), z.string().min(1)).default({}),
        /** Tell the customer a person takes over and when (off: hand off silently). */
        announce: z.boolean().default(true),
        /**
         * Outside business hours, offer a call back: a phone number the customer sends is
         * validated, written to the contact (callback_number, callback_at), noted for the
         * team and scheduled as a follow-up for when the team is back.
         */
        offerCallback: z.boolean().default(true),
        /** Resume when the assigned human has been silent this long (opt-in). */
        resumeAfterHumanSilenceMinutes: z.number().int().positive().optional(),
        /** Built-in multilingual "talk to a human" phrases (en, pt, es, fr, de, it). */
        builtinPhrases: z.boolean().default(true),
      })
      .default({
        keywords: [],
        maxConsecutiveFailures: 3,
        builtinPhrases: true,
        customerMessages: {},
        announce: true,
        offerCallback: true,
      }),
    outsideBusinessHours: z.enum(['handoff', 'answer', 'answer_and_say_when']).default('answer_and_say_when'),
    /** Template used when the 24-hour window has closed and a message must go out. */
    reengagementTemplate: z
      .strictObject({
        name: z.string(),
        language: z.string().default('en'),
        category: z.enum(['marketing', 'utility', 'authentication']).default('utility'),
        /** Parameter values; `{{customer.name}}`, `{{text}}` are filled in. */
        params: z.record(z.string(), z.string()).default({}),
      })
      .optional(),
    /** On a delivery failure outside the window, retry once as the template. */
    retryFailedAsTemplate: z.boolean().default(true),
  })
  .default({
    burstQuietMs: 1500,
    burstMaxWaitMs: 8000,
    turnDeadlineMs: 60_000,
    answerStatuses: ['pending'],
    includePrivateNotes: false,
    handoff: {
      keywords: [],
      maxConsecutiveFailures: 3,
      builtinPhrases: true,
      customerMessages: {},
      announce: true,
      offerCallback: true,
    },
    outsideBusinessHours: 'answer_and_say_when',
    retryFailedAsTemplate: true,
  });

export type ConversationPolicy = z.infer<typeof conversationPolicySchema>;
