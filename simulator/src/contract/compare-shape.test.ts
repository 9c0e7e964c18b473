import { describe, expect, it } from 'vitest';
import { compareShape } from './compare-shape.js';
import { readFixture } from './fixtures.js';

describe('compareShape', () => {
  it('accepts identical shapes and nullable fixture values', () => {
    expect(compareShape({ a: 1, b: 'x', c: null }, { a: 2, b: 'y', c: null })).toEqual([]);
    expect(compareShape({ a: 'now set' }, { a: null })).toEqual([]);
    expect(compareShape({ t: 1781964191 }, { t: 1781964191.512 })).toEqual([]);
  });

  it('reports missing, unexpected and reordered keys and type changes', () => {
    expect(compareShape({ a: 1 }, { a: 1, b: 2 })).toEqual(['$.b: missing']);
    expect(compareShape({ a: 1, z: 2 }, { a: 1 })).toEqual(['$.z: unexpected key']);
    expect(compareShape({ b: 1, a: 1 }, { a: 1, b: 1 })).toEqual(['$: key order b,a differs from a,b']);
    expect(compareShape({ a: '1' }, { a: 1 })).toEqual(['$.a: expected integer, got string']);
    expect(compareShape({ t: 1.5 }, { t: 1 })).toEqual(['$.t: expected integer, got number']);
    expect(compareShape({ list: [{ x: 1 }] }, { list: [{ y: 1 }] })).toEqual([
      '$.list[0].y: missing',
      '$.list[0].x: unexpected key',
    ]);
  });

  it('tells two different fixtures apart', () => {
    const text = readFixture('derived_agent_bot_message_created_whatsapp_text.json');
    const voice = readFixture('derived_agent_bot_message_created_whatsapp_voice_note.json');
    expect(compareShape(text, voice)).toContain('$.attachments: missing');
  });
});
