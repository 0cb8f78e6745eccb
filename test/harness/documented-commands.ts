import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');

/**
 * The lines of the first ```sh block in `file` (relative to the repository) that contains
 * `marker`: what a reader copies, so tests run exactly that.
 */
export function documentedCommands(file: string, marker: string): string[] {
  const text = readFileSync(resolve(root, file), 'utf8');
  const block = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '').find((b) => b.includes(marker));
  if (!block) throw new Error(`${file} has no sh block containing "${marker}"`);
  return block.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
}

/** The search-attribute registration the README's Temporal section documents. */
export const SEARCH_ATTRIBUTE_MARKER = 'temporal operator search-attribute create';
