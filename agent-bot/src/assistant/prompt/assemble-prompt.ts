import type { AssistantConfig } from '@switchboard/core';
import type { ChatMessage } from '../../llm/language-model.js';
import type { KnowledgePassage } from '../../tools/knowledge-search/knowledge-search.js';
import type { TurnContext } from '../../responder/responder.js';
import { businessClock, describeBusinessHours } from '../../policies/business-hours.js';
import { convertTranscript } from './convert-transcript.js';

/** Used when an assistant sets no guidance for WhatsApp: what renders well there. */
export const DEFAULT_WHATSAPP_GUIDANCE =
  'You are writing WhatsApp messages: short paragraphs, plain sentences, at most a few bullet points ' +
  'with "-", *bold* with single asterisks, no tables, no headings, no links unless the customer needs one. ' +
  'Keep an answer under about 700 characters unless the customer asks for detail.';

export interface AssembledPrompt {
  system: string;
  messages: ChatMessage[];
}

/**
 * The prompt for one turn: the assistant's own system prompt, then what the model cannot know
 * by itself: channel formatting, the business's local date and time and hours, the customer
 * profile, the WhatsApp window, and the knowledge passages retrieved for this turn.
 */
export function assemblePrompt(input: {
  assistant: AssistantConfig;
  turn: TurnContext;
  passages: KnowledgePassage[];
  supportsImages: boolean;
  toolNames: string[];
}): AssembledPrompt {
  const { assistant, turn } = input;
  const sections: string[] = [assistant.systemPrompt.trim()];

  const guidance =
    assistant.channelGuidance[turn.channel] ??
    (turn.channel === 'whatsapp' ? DEFAULT_WHATSAPP_GUIDANCE : undefined);
  if (guidance) sections.push(`## Formatting\n${guidance.trim()}`);

  sections.push(
    `## Language\nReply in the language the customer writes in. If unsure, use "${assistant.language}".`,
  );

  const clock = businessClock(turn.now, assistant);
  const hours = describeBusinessHours(assistant);
  sections.push(
    [
      `## Date and time`,
      `It is ${clock.localDateTime} (${assistant.timezone}).`,
      hours ? `Business hours: ${hours}. The business is ${clock.open ? 'open' : 'closed'} now.` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  );

  sections.push(`## Customer\n${describeCustomer(turn)}`);

  if (turn.channel === 'whatsapp') {
    sections.push(
      turn.window.open
        ? `## WhatsApp window\nOpen${turn.window.closesAt ? ` until ${turn.window.closesAt}` : ''}: free-form replies are allowed.`
        : `## WhatsApp window\nClosed: the reply may be sent as a template. Keep it brief and self-contained.`,
    );
  }

  const rules = [
    'Answer only from the knowledge below, the conversation and your tools. If they do not cover the question, say so plainly; never invent prices, dates or policies.',
  ];
  if (input.toolNames.includes('handoff_to_human')) {
    rules.push('If the customer asks for a person, or you cannot help, call handoff_to_human.');
  }
  sections.push(`## Rules\n${rules.map((rule) => `- ${rule}`).join('\n')}`);

  if (input.passages.length) {
    const knowledge = input.passages
      .map((p, index) => `[${index + 1}] ${p.documentTitle || p.source} (${p.source})\n${p.text.trim()}`)
      .join('\n\n');
    sections.push(
      `## Knowledge (retrieved for this message; mention the source when you use it)\n${knowledge}`,
    );
  }

  return {
    system: sections.join('\n\n'),
    messages: convertTranscript(turn.transcript, {
      includePrivateNotes: assistant.conversation.includePrivateNotes,
      supportsImages: input.supportsImages,
    }),
  };
}

/** Only what helps the answer: the name and the business's own attributes, no phone number. */
function describeCustomer(turn: TurnContext): string {
  const lines = [`Name: ${turn.customer.name ?? 'unknown'}`];
  const attributes = Object.entries(turn.customer.attributes).slice(0, 20);
  for (const [key, value] of attributes) {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (text !== undefined) lines.push(`${key}: ${text.slice(0, 200)}`);
  }
  return lines.join('\n');
}
