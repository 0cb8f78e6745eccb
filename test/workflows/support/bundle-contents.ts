// What webpack put into a workflow bundle, read from the bundle itself: bundleWorkflowCode
// builds in development mode, where every module starts with a `/***/ "<path>"` line and the
// inline source map is the last line. No webpack stats are needed (the SDK does not return them).

export interface BundleModule {
  /** The module's path as webpack names it (relative to the bundling directory). */
  readonly path: string;
  /** The package it comes from (`zod`, `@temporalio/workflow`), or the project folder. */
  readonly owner: string;
  /** Characters of the module's code in the bundle. */
  readonly chars: number;
}

export interface BundleContents {
  readonly chars: number;
  /** Characters of the inline source map (a comment: parsed, never run). */
  readonly sourceMapChars: number;
  readonly modules: readonly BundleModule[];
}

const MODULE_START = /^\/\*\*\*\/ "([^"]+)"/gm;
const SOURCE_MAP = '//# sourceMappingURL=';

function ownerOf(path: string): string {
  const at = path.lastIndexOf('node_modules/');
  if (at < 0) return path.replace(/^(\.{1,2}\/)+/, '').split('/').slice(0, -1).join('/') || path;
  const parts = path.slice(at + 'node_modules/'.length).split('/');
  return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? path);
}

export function bundleContents(code: string): BundleContents {
  const mapAt = code.lastIndexOf(SOURCE_MAP);
  const end = mapAt < 0 ? code.length : mapAt;
  const starts = [...code.matchAll(MODULE_START)].map((m) => ({ path: m[1] as string, at: m.index }));
  const modules = starts.map((s, i) => ({ path: s.path, owner: ownerOf(s.path), chars: (starts[i + 1]?.at ?? end) - s.at }));
  return { chars: code.length, sourceMapChars: code.length - end, modules };
}

/** Characters and module count per owner, largest first. */
export function byOwner(modules: readonly BundleModule[]): { owner: string; chars: number; modules: number }[] {
  const owners = new Map<string, { owner: string; chars: number; modules: number }>();
  for (const m of modules) {
    const o = owners.get(m.owner) ?? { owner: m.owner, chars: 0, modules: 0 };
    o.chars += m.chars;
    o.modules += 1;
    owners.set(m.owner, o);
  }
  return [...owners.values()].sort((a, b) => b.chars - a.chars);
}
