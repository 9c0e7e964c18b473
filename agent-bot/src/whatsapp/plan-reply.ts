import type { ConversationPolicy } from '@switchboard/core';
import type { OutgoingReply } from '../responder/responder.js';
import type { CreateMessageRequest } from '../chatwoot/chatwoot-client.js';
import { presentChoices } from './choices.js';
import { formatForWhatsApp } from './markdown-to-whatsapp.js';
import type { WindowState } from '../policies/reply-window.js';
import { splitMessage } from './split-message.js';
import { formatForWebWidget, presentWebChoices, WEB_WIDGET_MAX_TEXT } from './markdown-for-web-widget.js';
import type { InboxBinding } from '../inboxes/inbox-binding.js';

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
  /** The inbox's channel: `web` (a website widget) has no window, no templates and renders Markdown itself. */
  channel?: InboxBinding['channel'];
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
 * A website widget has no window: always free-form, in the widget's Markdown.
 */
export function planReply(input: PlanInput): Plan {
  const texts = input.messages.filter((m) => m.kind !== 'file' || m.caption).length;
  if (input.messages.length === 0 || (texts === 0 && input.messages.every((m) => m.kind !== 'file'))) {
    return { parts: [], skipped: null };
  }
  const web = input.channel === 'web';
  if (!input.window.open && !web) return planTemplate(input);
  const target = input.rendersMarkdown ? 'markdown' : 'whatsapp';
  const format = (text: string): string => (web ? formatForWebWidget(text) : formatForWhatsApp(text, target));
  const split = (text: string): string[] =>
    web ? splitMessage(text, WEB_WIDGET_MAX_TEXT - 1) : splitMessage(text);
  const parts: PlannedPart[] = [];
  for (const message of input.messages) {
    if (message.kind === 'text') {
      for (const chunk of split(format(message.text))) {
        parts.push({ kind: 'text', request: { content: chunk, message_type: 'outgoing' } });
      }
    } else if (message.kind === 'choices') {
      const text = format(message.text);
      // The widget shows input_select items as buttons, with none of WhatsApp's title or row limits.
      const presentation = web
        ? (presentWebChoices(message.options) ?? numberedChoices(text, message.options))
        : presentChoices(text, message.options);
      if (presentation.kind === 'numbered_text') {
        for (const chunk of split(presentation.text)) {
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
          content: message.caption ? format(message.caption) : '',
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

function numberedChoices(text: string, options: string[]): { kind: 'numbered_text'; text: string } {
  const titles = options.map((option) => option.trim()).filter((option) => option.length > 0);
  return {
    kind: 'numbered_text',
    text: [text, titles.map((t, i) => `${i + 1}. ${t}`).join('\n')].join('\n\n'),
  };
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
