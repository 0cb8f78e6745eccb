import type { z } from 'zod';
import { ConfigError } from '../errors';

// Turns schema issues into one ConfigError whose message names every offending field, and
// where the value came from when that was not the file (`… (from PREVIEWD_INGRESS_PORT)`).

function issueField(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String);
  // An unknown key is reported on its parent; name the key itself, that is what to fix.
  if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => [...path, k].join('.')).join(', ');
  return path.join('.') || '(root)';
}

function issueMessage(issue: z.core.$ZodIssue): string {
  return issue.code === 'unrecognized_keys' ? 'unknown key (check the spelling against docs/config.md)' : issue.message;
}

export function configErrorFromIssues(issues: readonly z.core.$ZodIssue[], origin: (field: string) => string | undefined): ConfigError {
  const lines = issues.map((issue) => {
    const field = issueField(issue);
    const from = origin(field);
    return `${field}: ${issueMessage(issue)}${from ? ` (from ${from})` : ''}`;
  });
  const first = issues[0];
  return new ConfigError(first ? issueField(first).split(', ')[0] ?? '(root)' : '(root)', `invalid previewd config: ${lines.join('; ')}`);
}
