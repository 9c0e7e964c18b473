import { describe, expect, it } from 'vitest';
import { matchChoice, presentChoices } from './choices.js';
import { formatForWhatsApp } from './markdown-to-whatsapp.js';
import { errorCode, isWindowFailure, replyWindow } from '../policies/reply-window.js';
import { splitMessage, WHATSAPP_MAX_TEXT } from './split-message.js';

describe('formatForWhatsApp', () => {
  it('converts Markdown to WhatsApp formatting for a pass-through Chatwoot', () => {
    const md =
      '# Plans\n\n**Annual** costs *less*, ~~R$ 120~~ R$ 99. See [our site](https://x.io) or `code`.\n\n* one\n+ two\n\n---\n| a | b |\n|---|---|\n| 1 | 2 |';
    expect(formatForWhatsApp(md, 'whatsapp')).toBe(
      '*Plans*\n\n*Annual* costs _less_, ~R$ 120~ R$ 99. See our site (https://x.io) or `code`.\n\n- one\n- two\n\na · b\n1 · 2',
    );
  });

  it('keeps Markdown emphasis for a Chatwoot that renders it, and normalizes the rest', () => {
    const md = '## Hi\n**bold** and *it* [x](https://a.b)\n![logo](https://a.b/l.png)';
    expect(formatForWhatsApp(md, 'markdown')).toBe(
      '**Hi**\n**bold** and *it* x (https://a.b)\nlogo: https://a.b/l.png',
    );
  });

  it('leaves code blocks alone', () => {
    expect(formatForWhatsApp('```\n**not bold**\n```', 'whatsapp')).toBe('```\n**not bold**\n```');
  });
});

describe('splitMessage', () => {
  it('keeps short text whole', () => {
    expect(splitMessage('hello')).toEqual(['hello']);
  });

  it('splits under 4,096 characters at paragraph, then sentence boundaries', () => {
    const paragraph = 'word '.repeat(500).trim(); // 2,499 chars
    const text = `${paragraph}\n\n${paragraph}\n\n${paragraph}`;
    const parts = splitMessage(text);
    expect(parts).toHaveLength(3);
    for (const part of parts) expect(part.length).toBeLessThan(WHATSAPP_MAX_TEXT);
    const sentences = 'This is a sentence. '.repeat(400);
    const bySentence = splitMessage(sentences);
    expect(bySentence.length).toBeGreaterThan(1);
    for (const part of bySentence) {
      expect(part.length).toBeLessThan(WHATSAPP_MAX_TEXT);
      expect(part.endsWith('.')).toBe(true);
    }
  });

  it('cuts text without any boundary and never splits a surrogate pair', () => {
    const text = '😀'.repeat(3000);
    const parts = splitMessage(text, 101);
    expect(parts.join('')).toBe(text);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(101);
  });
});

describe('choices', () => {
  it('uses buttons for up to 3 short options, a list for more, text when titles are too long', () => {
    expect(presentChoices('Pick', ['Yes', 'No'])).toEqual({
      kind: 'buttons',
      items: [
        { title: 'Yes', value: 'Yes' },
        { title: 'No', value: 'No' },
      ],
    });
    expect(presentChoices('Pick', ['a', 'b', 'c', 'd']).kind).toBe('list');
    const long = presentChoices('Pick', ['A much too long button title']);
    expect(long).toEqual({ kind: 'numbered_text', text: 'Pick\n\n1. A much too long button title' });
  });

  it('matches a button reply by title (WhatsApp sends only the title) or by number', () => {
    const options = ['Falar com atendente', 'Ver planos'];
    expect(matchChoice('  falar com ATENDENTE ', options)).toBe('Falar com atendente');
    expect(matchChoice('2', options)).toBe('Ver planos');
    expect(matchChoice('outra coisa', options)).toBeUndefined();
  });
});

describe('reply window', () => {
  it('is open for 24 hours after the last customer message', () => {
    const last = new Date('2026-06-20T10:00:00Z');
    expect(replyWindow(last, new Date('2026-06-21T09:59:59Z')).open).toBe(true);
    expect(replyWindow(last, new Date('2026-06-21T10:00:00Z')).open).toBe(false);
    expect(replyWindow(null, new Date()).open).toBe(false);
  });

  it('recognises the window failures', () => {
    expect(isWindowFailure('131047: Re-engagement message')).toBe(true);
    expect(isWindowFailure('Template not found or invalid template name')).toBe(true);
    expect(isWindowFailure('131026: Message undeliverable')).toBe(false);
    expect(errorCode('131047: Re-engagement message')).toBe('131047');
  });
});
