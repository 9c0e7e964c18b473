import { describe, expect, it } from 'vitest';
import { conversationPolicySchema } from '@switchboard/core/config/conversation-policy';
import { formatForWebWidget } from './markdown-for-web-widget.js';
import { planReply, type PlanInput } from './plan-reply.js';
import { replyWindow } from '../policies/reply-window.js';

const DAY = 24 * 60 * 60 * 1000;
const policy = conversationPolicySchema.parse({
  reengagementTemplate: { name: 'conversation_follow_up', language: 'en', params: { '1': '{{text}}' } },
});

function plan(overrides: Partial<PlanInput>): ReturnType<typeof planReply> {
  return planReply({
    messages: [{ kind: 'text', text: 'Hello' }],
    window: { open: true, closesAt: null },
    policy,
    rendersMarkdown: true,
    customerName: 'Jo',
    ...overrides,
  });
}

describe('formatForWebWidget', () => {
  it('keeps the Markdown the widget renders: emphasis, links, lists, quotes, code', () => {
    const md =
      '**Annual** costs *less*, ~~£120~~ £99. See [our site](https://x.io).\n\n- one\n- two\n\n> quoted\n\n`code`';
    expect(formatForWebWidget(md)).toBe(md);
  });

  it('turns headings into a bold line, tables into rows, images into links, and drops raw HTML', () => {
    const md =
      '## Prices\n\n| Service | Price |\n|---|---|\n| Puncture | £12 |\n\n![map](https://a.b/map.png)\n<b>Open</b> <https://a.b> `<i>kept</i>`\n\n\n\nEnd';
    expect(formatForWebWidget(md)).toBe(
      '**Prices**\n\nService · Price\nPuncture · £12\n\n[map](https://a.b/map.png)\nOpen <https://a.b> `<i>kept</i>`\n\nEnd',
    );
  });
});

describe('planReply for a website widget', () => {
  it('sends Markdown as written where WhatsApp would get *bold*', () => {
    const messages = [{ kind: 'text' as const, text: '**Bosch** batteries from *£450*' }];
    expect(plan({ messages, channel: 'web', rendersMarkdown: false }).parts[0]!.request.content).toBe(
      '**Bosch** batteries from *£450*',
    );
    expect(plan({ messages, channel: 'whatsapp', rendersMarkdown: false }).parts[0]!.request.content).toBe(
      '*Bosch* batteries from _£450_',
    );
  });

  it('never plans a template: there is no window on a website', () => {
    const closed = { open: false, closesAt: new Date(0).toISOString() };
    const web = plan({ window: closed, channel: 'web' });
    expect(web.parts).toEqual([{ kind: 'text', request: { content: 'Hello', message_type: 'outgoing' } }]);
    expect(plan({ window: closed, channel: 'whatsapp' }).parts[0]!.kind).toBe('template');
  });

  it('offers every option as an input_select button, beyond WhatsApp’s 3 buttons and 20-character titles', () => {
    const options = [
      'Puncture repair and inner tube',
      'Full service',
      'Brake tune-up',
      'Wheel truing',
      'E-bike check',
    ];
    const web = plan({ messages: [{ kind: 'choices', text: 'Which *service*?', options }], channel: 'web' });
    expect(web.parts).toEqual([
      {
        kind: 'choices',
        request: {
          content: 'Which *service*?',
          message_type: 'outgoing',
          content_type: 'input_select',
          content_attributes: { items: options.map((title) => ({ title, value: title })) },
        },
      },
    ]);
    // The same options on WhatsApp do not fit a list row (24 characters): numbered text.
    const whatsapp = plan({ messages: [{ kind: 'choices', text: 'Which?', options }], channel: 'whatsapp' });
    expect(whatsapp.parts[0]!.kind).toBe('text');
  });

  it('falls back to a numbered list for more options than buttons read well', () => {
    const options = Array.from({ length: 15 }, (_, i) => `Slot ${i + 1}`);
    const web = plan({ messages: [{ kind: 'choices', text: 'Pick a slot', options }], channel: 'web' });
    expect(web.parts).toHaveLength(1);
    expect(web.parts[0]!.request.content).toMatch(
      /^Pick a slot\n\n1\. Slot 1\n2\. Slot 2\n[\s\S]*15\. Slot 15$/,
    );
  });

  it('does not split a long answer at WhatsApp’s 4,096 characters', () => {
    const long = 'word '.repeat(1500).trim();
    expect(plan({ messages: [{ kind: 'text', text: long }], channel: 'web' }).parts).toHaveLength(1);
    expect(
      plan({ messages: [{ kind: 'text', text: long }], channel: 'whatsapp' }).parts.length,
    ).toBeGreaterThan(1);
  });
});

describe('replyWindow by channel', () => {
  const now = new Date('2026-06-20T12:00:00Z');
  it('is always open on a website, even with no customer message or days later', () => {
    expect(replyWindow(null, now, 'web')).toEqual({ open: true, closesAt: null });
    expect(replyWindow(new Date(now.getTime() - 3 * DAY), now, 'web').open).toBe(true);
  });
  it('keeps the 24 hours for WhatsApp', () => {
    expect(replyWindow(new Date(now.getTime() - 3 * DAY), now, 'whatsapp').open).toBe(false);
    expect(replyWindow(null, now).open).toBe(false);
  });
});
