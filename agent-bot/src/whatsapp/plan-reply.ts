import type { ConversationPolicy } from '@switchboard/core';
import type { OutgoingReply } from '../responder/responder.js';
import type { CreateMessageRequest } from '../chatwoot/chatwoot-client.js';
import { presentChoices } from './choices.js';
import { formatForWhatsApp } from './markdown-to-whatsapp.js';
import type { WindowState } from '../policies/reply-window.js';
import { splitMessage } from './split-message.js';

export interface PlannedPart {
  kind: 'text' | 'choices' | 'template' | 'file';
  request: CreateMessageRequest & { file?: { name: string; contentType: string; base64: string } };
  purpose?: 'reengagement' | 'follow_up' | 'window_closed_reply';
  template?: { name: string; language: string; category: 'marketing' | 'utility' | 'authentication' };
}

export type Plan = { parts: PlannedPart[]; skipped: string | null };

export interface PlanInput {
  messages: OutgoingReply[];
  window: WindowState;
  policy: ConversationPolicy;
  rendersMarkdown: boolean;
  customerName: string | null;
  /** What a template outside the window is for (analytics). */
  purpose?: PlannedPart['purpose'];
  /** A template other than the policy's re-engagement template (follow-ups may name one). */
  template?: { name: string; params: Record<string, string> };
}

/**
 * Turns the assistant's reply into Chatwoot messages: inside the 24-hour window as free-form
 * WhatsApp text (formatted, split, choices as input_select); outside it as the approved
 * template, or nothing, with the reason, because free-form would be refused by WhatsApp.
 */
export function planReply(input: PlanInput): Plan {
  const texts = input.messages.filter((m) => m.kind !== 'file' || m.caption).length;
  if (input.messages.length === 0 || (texts === 0 && input.messages.every((m) => m.kind !== 'file'))) {
    return { parts: [], skipped: null };
  }
  if (!input.window.open) return planTemplate(input);
  const target = input.rendersMarkdown ? 'markdown' : 'whatsapp';
  const parts: PlannedPart[] = [];
  for (const message of input.messages) {
    if (message.kind === 'text') {
      for (const chunk of splitMessage(formatForWhatsApp(message.text, target))) {
        parts.push({ kind: 'text', request: { content: chunk, message_type: 'outgoing' } });
      }
    } else if (message.kind === 'choices') {
      const text = formatForWhatsApp(message.text, target);
      const presentation = presentChoices(text, message.options);
      if (presentation.kind === 'numbered_text') {
        for (const chunk of splitMessage(presentation.text)) {
          parts.push({ kind: 'text', request: { content: chunk, message_type: 'outgoing' } });
        }
      } else {
        parts.push({
          kind: 'choices',
          request: {
            content: text,
            message_type: 'outgoing',
            content_type: 'input_select',
            content_attributes: { items: presentation.items },
          },
        });
      }
    } else {
      parts.push({
        kind: 'file',
        request: {
          content: message.caption ? formatForWhatsApp(message.caption, target) : '',
          message_type: 'outgoing',
          file: {
            name: message.fileName,
            contentType: message.contentType,
            base64: Buffer.from(message.data).toString('base64'),
          },
        },
      });
    }
  }
  return { parts, skipped: null };
}

function planTemplate(input: PlanInput): Plan {
  const configured = input.policy.reengagementTemplate;
  const name = input.template?.name ?? configured?.name;
  if (!name) {
    return { parts: [], skipped: 'the 24-hour window is closed and no re-engagement template is configured' };
  }
  const text = input.messages
    .map((m) => (m.kind === 'file' ? (m.caption ?? '') : m.text))
    .join('\n')
    .trim();
  const raw = input.template?.params ?? configured?.params ?? {};
  const body: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    // Chatwoot strips <>"' and truncates each parameter to 1,000 characters (contract §3.4).
    body[key] = value
      .replaceAll('{{customer.name}}', input.customerName ?? '')
      .replaceAll('{{text}}', text)
      .replace(/[<>"']/g, '')
      .slice(0, 1000);
  }
  const language = configured?.language ?? 'en';
  const category = configured?.category ?? 'utility';
  return {
    parts: [
      {
        kind: 'template',
        purpose: input.purpose ?? 'window_closed_reply',
        template: { name, language, category },
        request: {
          content: text || name,
          message_type: 'outgoing',
          template_params: { name, category: category.toUpperCase(), language, processed_params: { body } },
        },
      },
    ],
    skipped: null,
  };
}
