import type { ConversationPolicy } from '@switchboard/core';

/** What the rule reads of a conversation (the store's ConversationState has it). */
export interface ConversationFacts {
  pendingHandoff: unknown;
  botState: 'active' | 'handed_off' | 'human_replied';
  resumeToPending: boolean;
  status: string;
  lastHumanMessageAt: Date | null;
  handedOffAt: Date | null;
}

export type AnswerDecision = { answer: true; resume: boolean } | { answer: false; why: string };

/**
 * Whether the bot answers a customer message now (ARCHITECTURE "when to answer"): only while
 * it owns the conversation (`pending`, or what the assistant's policy adds) and no human has
 * it. The opt-in silence rule lets the bot take a conversation back from a quiet human.
 */
export function shouldAnswer(
  conversation: ConversationFacts,
  policy: ConversationPolicy,
  now: Date,
): AnswerDecision {
  if (conversation.pendingHandoff) return { answer: false, why: 'handoff in progress' };
  if (conversation.botState === 'active') {
    if (conversation.resumeToPending) return { answer: true, resume: false };
    return policy.answerStatuses.includes(conversation.status as 'pending' | 'open')
      ? { answer: true, resume: false }
      : { answer: false, why: `conversation is ${conversation.status}` };
  }
  const silenceMinutes = policy.handoff.resumeAfterHumanSilenceMinutes;
  if (silenceMinutes !== undefined && conversation.status !== 'resolved') {
    const lastHuman = latest(conversation.lastHumanMessageAt, conversation.handedOffAt);
    if (lastHuman && now.getTime() - lastHuman.getTime() >= silenceMinutes * 60_000) {
      return { answer: true, resume: true };
    }
  }
  return { answer: false, why: conversation.botState === 'handed_off' ? 'handed off' : 'a human replied' };
}

function latest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}
