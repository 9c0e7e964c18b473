import { describe, expect, it } from 'vitest';
import { jsonNestingDepth, storableJson, storableText } from './storable-json.js';

describe('jsonNestingDepth', () => {
  it('counts objects and arrays, not brackets inside strings or escaped quotes', () => {
    expect(jsonNestingDepth('1')).toBe(0);
    expect(jsonNestingDepth('{"a":[1,{"b":[]}]}')).toBe(4);
    expect(jsonNestingDepth('{"a":"[[[[{{{{"}')).toBe(1);
    expect(jsonNestingDepth('{"a":"quote \\" [[[ still a string","b":[1]}')).toBe(2);
    expect(jsonNestingDepth('{"a":"backslash \\\\","b":[[1]]}')).toBe(3);
  });

  it('measures 100k levels without recursion and stops early once past the limit', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(jsonNestingDepth(deep)).toBe(100_000);
    expect(jsonNestingDepth(deep, 64)).toBe(65);
  });
});

describe('storableText and storableJson', () => {
  it('removes NUL and replaces lone surrogates, keeping surrogate pairs', () => {
    expect(storableText('a\u0000b')).toBe('ab');
    expect(storableText('x\ud83dy\ude00z')).toBe('x\ufffdy\ufffdz');
    expect(storableText('ok 😀')).toBe('ok 😀');
  });

  it('makes every string and key storable, at every level, and keeps "__proto__" a plain key', () => {
    const parsed = JSON.parse(
      '{"k\\u0000":["\\ud800",{"\\udfffx":"v\\u0000"}],"__proto__":{"polluted":true},"n":1}',
    );
    const storable = storableJson(parsed) as Record<string, unknown>;
    expect(JSON.stringify(storable)).toBe(
      '{"k":["\ufffd",{"\ufffdx":"v"}],"__proto__":{"polluted":true},"n":1}',
    );
    expect(Object.getPrototypeOf(storable)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
