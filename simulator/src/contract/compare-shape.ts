/**
 * Key-by-key comparison of a payload against a fixture: the same keys at every level, in the same
 * order, and the same JSON type for every value (null matches null only, except where the fixture's
 * value is null and ours is not: fixtures use invented values, so `null` there means "nullable").
 * Arrays are compared through their first element.
 */
export function compareShape(actual: unknown, expected: unknown, path = '$'): string[] {
  const problems: string[] = [];
  const actualType = jsonType(actual);
  const expectedType = jsonType(expected);
  if (expectedType === 'null') return problems;
  const compatible =
    actualType === expectedType ||
    (expectedType === 'number' && actualType === 'integer') ||
    (actualType === 'null' && expectedType !== 'object' && expectedType !== 'array');
  if (!compatible) {
    problems.push(`${path}: expected ${expectedType}, got ${actualType}`);
    return problems;
  }
  if (expectedType === 'object' && actualType === 'object') {
    const actualKeys = Object.keys(actual as object);
    const expectedKeys = Object.keys(expected as object);
    for (const key of expectedKeys) if (!actualKeys.includes(key)) problems.push(`${path}.${key}: missing`);
    for (const key of actualKeys)
      if (!expectedKeys.includes(key)) problems.push(`${path}.${key}: unexpected key`);
    const common = expectedKeys.filter((key) => actualKeys.includes(key));
    const actualOrder = actualKeys.filter((key) => expectedKeys.includes(key));
    if (problems.length === 0 && common.join(',') !== actualOrder.join(',')) {
      problems.push(`${path}: key order ${actualOrder.join(',')} differs from ${common.join(',')}`);
    }
    for (const key of common) {
      problems.push(
        ...compareShape(
          (actual as Record<string, unknown>)[key],
          (expected as Record<string, unknown>)[key],
          `${path}.${key}`,
        ),
      );
    }
  }
  if (expectedType === 'array' && actualType === 'array') {
    const expectedItems = expected as unknown[];
    const actualItems = actual as unknown[];
    if (expectedItems.length > 0 && actualItems.length === 0)
      problems.push(`${path}: expected items, got []`);
    if (expectedItems.length > 0 && actualItems.length > 0)
      problems.push(...compareShape(actualItems[0], expectedItems[0], `${path}[0]`));
  }
  return problems;
}

function jsonType(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}
