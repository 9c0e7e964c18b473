/**
 * Makes a parsed webhook body storable in PostgreSQL's jsonb and text: NUL removed (PostgreSQL
 * refuses `\u0000`, error 22P05/22021) and lone surrogates replaced with U+FFFD (not valid
 * UTF-8), in values and keys alike. Depth is bounded so a hostile body cannot exhaust the stack
 * further down (zod, JSON.stringify): past `maxDepth` the body is refused.
 */
export const MAX_JSON_DEPTH = 64;

export type StorableResult = { ok: true; value: unknown } | { ok: false; reason: 'too deeply nested' };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function storableText(text: string): string {
  return text.replaceAll('\u0000', '').replace(LONE_SURROGATE, '\uFFFD');
}

export function storableJson(value: unknown, maxDepth = MAX_JSON_DEPTH): StorableResult {
  let tooDeep = false;
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return storableText(v);
    if (v === null || typeof v !== 'object') return v;
    if (depth >= maxDepth) {
      tooDeep = true;
      return null;
    }
    if (Array.isArray(v)) return v.map((item) => walk(item, depth + 1));
    // fromEntries defines own properties: a "__proto__" key stays data, never the prototype.
    return Object.fromEntries(
      Object.entries(v).map(([key, item]) => [storableText(key), walk(item, depth + 1)]),
    );
  };
  const storable = walk(value, 0);
  return tooDeep ? { ok: false, reason: 'too deeply nested' } : { ok: true, value: storable };
}
