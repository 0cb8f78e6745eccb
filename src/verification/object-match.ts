import { parseQuantity } from '../kubernetes';

// Whether a live object still holds what previewd applied. The API server adds defaults
// (a NetworkPolicy port's protocol, a LimitRange's max) and may spell a quantity another way
// (`1024Mi` back as `1Gi`), so the live object must contain the expected fields, not equal them.

function sameScalar(expected: unknown, actual: unknown): boolean {
  if (expected === actual) return true;
  if ((typeof expected === 'string' || typeof expected === 'number') && (typeof actual === 'string' || typeof actual === 'number')) {
    try {
      return parseQuantity(expected) === parseQuantity(actual);
    } catch {
      return false;
    }
  }
  return false;
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/** The first path where `actual` lacks or contradicts `expected`, with both values; undefined when it holds all of it. */
export function firstDifference(expected: unknown, actual: unknown, path = ''): string | undefined {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return `${path || '.'}: expected ${expected.length} item(s), found ${show(actual)}`;
    for (const [i, item] of expected.entries()) {
      const diff = firstDifference(item, actual[i], `${path}[${i}]`);
      if (diff) return diff;
    }
    return undefined;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return `${path || '.'}: expected an object, found ${show(actual)}`;
    for (const [key, value] of Object.entries(expected)) {
      const diff = firstDifference(value, (actual as Record<string, unknown>)[key], `${path}.${key}`);
      if (diff) return diff;
    }
    return undefined;
  }
  return sameScalar(expected, actual) ? undefined : `${path || '.'}: expected ${show(expected)}, found ${show(actual)}`;
}
