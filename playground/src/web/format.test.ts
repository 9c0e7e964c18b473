import { describe, expect, it } from 'vitest';
import { formatDuration, inlineMarkdown } from './format.js';

describe('formatDuration', () => {
  it('shows durations in human units instead of raw milliseconds', () => {
    expect(formatDuration(420)).toBe('420 ms');
    expect(formatDuration(4200)).toBe('4.2 s');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(192_000)).toBe('3 min 12 s');
    // The turn that spanned the playground's +24 h jump printed "86405165 ms".
    expect(formatDuration(86_405_165)).toBe('24 h 0 min');
    expect(formatDuration(5 * 86_400_000 + 3 * 3_600_000)).toBe('5 d 3 h');
    expect(formatDuration(null)).toBe('-');
    expect(formatDuration(-1)).toBe('-');
  });
});

describe('inlineMarkdown', () => {
  it('splits the widget’s inline Markdown into tokens', () => {
    expect(
      inlineMarkdown('**Bosch** from *£450*, ~~£500~~ `code` [site](https://x.io) or https://a.b/c.'),
    ).toEqual([
      { kind: 'strong', text: 'Bosch' },
      { kind: 'text', text: ' from ' },
      { kind: 'em', text: '£450' },
      { kind: 'text', text: ', ' },
      { kind: 'del', text: '£500' },
      { kind: 'text', text: ' ' },
      { kind: 'code', text: 'code' },
      { kind: 'text', text: ' ' },
      { kind: 'link', text: 'site', href: 'https://x.io' },
      { kind: 'text', text: ' or ' },
      { kind: 'link', text: 'https://a.b/c', href: 'https://a.b/c' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('never turns a javascript: link into a link', () => {
    expect(inlineMarkdown('[x](javascript:alert(1))')).toEqual([
      { kind: 'text', text: '[x](javascript:alert(1))' },
    ]);
  });
});
