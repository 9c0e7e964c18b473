import { describe, expect, it } from 'vitest';
import { storableJson } from './storable-json.js';

describe('storableJson (account webhooks)', () => {
  it('keeps a "__proto__" key as data instead of setting the prototype', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": "yes\\u0000"}, "a": "b"}') as unknown;
    const result = storableJson(parsed);
    expect(result.ok).toBe(true);
    const value = (result as { value: Record<string, unknown> }).value;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect((value as { polluted?: string }).polluted).toBeUndefined();
    expect(Object.keys(value)).toEqual(['__proto__', 'a']);
    expect(JSON.stringify(value)).toBe('{"__proto__":{"polluted":"yes"},"a":"b"}');
  });
});
