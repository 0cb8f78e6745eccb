// Preview namespace names come only from operator configuration (prefix, repo key) and the PR
// number, never from branch names or titles (seed 000 "Security constraints"). Invalid input
// is rejected instead of being truncated or rewritten: a rewrite could make two previews share
// a namespace.

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_PREFIX = 20;
const MAX_KEY = 20;

export class InvalidPreviewNameError extends Error {
  override readonly name = 'InvalidPreviewNameError';
}

export function assertPrNumber(prNumber: unknown): asserts prNumber is number {
  if (typeof prNumber !== 'number' || !Number.isSafeInteger(prNumber) || prNumber < 1) {
    throw new InvalidPreviewNameError(`PR number must be a positive safe integer, got ${String(prNumber)}`);
  }
}

function assertLabelPart(what: string, value: unknown, max: number): asserts value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max || !DNS_LABEL.test(value)) {
    throw new InvalidPreviewNameError(`${what} must be 1-${max} chars of [a-z0-9-], not starting or ending with a dash, got ${JSON.stringify(value)}`);
  }
}

/**
 * `<prefix>-<repo key>-<pr number>`. With the bounds above the longest name is
 * 20 + 1 + 20 + 1 + 16 = 58 characters, inside the 63 of a DNS-1123 label.
 */
export function previewNamespaceName(prefix: string, repoKey: string, prNumber: number): string {
  assertLabelPart('namespace prefix', prefix, MAX_PREFIX);
  assertLabelPart('repository key', repoKey, MAX_KEY);
  assertPrNumber(prNumber);
  return `${prefix}-${repoKey}-${prNumber}`;
}

/** Whether `name` has the preview shape for this prefix (used by the guard, not to derive names). */
export function hasPreviewPrefix(prefix: string, name: string): boolean {
  return name.startsWith(`${prefix}-`) && name.length <= 63 && DNS_LABEL.test(name);
}
