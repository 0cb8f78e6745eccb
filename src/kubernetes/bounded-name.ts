// Object names made of several bounded parts can still exceed 63 characters (Application
// names are also label values in Argo CD). Cutting them would make two long names collide, so
// an over-long name keeps a readable head and ends in a hash of the whole.

const MAX = 63;
const HASH_LENGTH = 8;

/** 32-bit FNV-1a, hex: deterministic and dependency-free (builders also run in workflow code). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(HASH_LENGTH, '0');
}

/** `parts` joined by dashes if that fits in `max`; otherwise `<head>-<hash of the full name>`. */
export function boundedName(parts: readonly string[], max = MAX): string {
  const full = parts.join('-');
  if (full.length <= max) return full;
  const head = full.slice(0, max - HASH_LENGTH - 1).replace(/-+$/, '');
  return `${head}-${fnv1a(full)}`;
}
