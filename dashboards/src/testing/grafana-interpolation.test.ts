import { describe, expect, it } from 'vitest';
import { applyConditionalAll, interpolateDashboardQuery, replaceVariables } from './grafana-interpolation.js';

describe('conditionalAll (plugin frontend)', () => {
  const sql = 'WHERE $__conditionalAll(a IN (${a:singlequote}), $a) AND $__conditionalAll(f(b, 1) > 0, ${b})';

  it('replaces the macro by 1=1 for All and for an empty value', () => {
    expect(applyConditionalAll(sql, { a: { value: ['$__all'] }, b: { value: '' } })).toBe(
      'WHERE 1=1 AND 1=1',
    );
  });

  it('keeps the condition for a chosen value', () => {
    expect(applyConditionalAll(sql, { a: { value: ['x'] }, b: { value: 'y' } })).toBe(
      'WHERE a IN (${a:singlequote}) AND f(b, 1) > 0',
    );
  });
});

// The plugin's own cases (src/data/CHDatasource.test.ts, "Conditional All").
describe("conditionalAll: the plugin's test vectors", () => {
  const sql = 'select stuff from table where $__conditionalAll(fieldVal in ($fieldVal), $fieldVal);';

  it.each([
    [sql, { fieldVal: { value: '$__all' } }, 'select stuff from table where 1=1;'],
    [
      sql,
      { fieldVal: { value: "'val1', 'val2'" } },
      'select stuff from table where fieldVal in ($fieldVal);',
    ],
    [
      'select stuff from table where $__conditionalAll(fieldVal in ($fieldVal), $fieldVal) and $__conditionalAll(fieldVal in ($fieldVal2), $fieldVal2);',
      { fieldVal: { value: "'val1', 'val2'" }, fieldVal2: { value: '$__all' } },
      'select stuff from table where fieldVal in ($fieldVal) and 1=1;',
    ],
    ['$__conditionalAll(foo, $fieldVal)', { fieldVal: { value: '$__all' } }, '1=1'],
  ])('%s', (input, variables, output) => {
    expect(applyConditionalAll(input, variables)).toBe(output);
  });
});

describe('template variables', () => {
  it('formats single quotes, sqlstring, percentencode and the plugin default', () => {
    const variables = { a: { value: ["o'neil", 'b'] }, p: { value: "+55 '1" } };
    expect(replaceVariables('${a:singlequote}|${a:sqlstring}|$a|${p:percentencode}', variables)).toBe(
      "'o\\'neil','b'|'o''neil','b'|'o'neil','b'|%2B55%20%271",
    );
  });

  it('expands All to every option outside conditionalAll and leaves macros alone', () => {
    expect(
      interpolateDashboardQuery('x IN (${c:singlequote}) AND $__timeFilter(t)', {
        c: { value: '$__all', options: ['whatsapp', 'web'] },
      }),
    ).toBe("x IN ('whatsapp','web') AND $__timeFilter(t)");
  });
});
