// This package compiles to CommonJS, where `import()` becomes `require()`. That cannot load a
// package whose "exports" offer only an "import" entry (@octokit/webhooks-methods): Node says
// 'No "exports" main defined'. A native dynamic import, which no compiler rewrites, can.

// eslint-disable-next-line @typescript-eslint/no-implied-eval -- the one way to keep a real import() in CommonJS output
const nativeImport = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

/**
 * Loads an ESM-only package. `viaModuleSystem` is the same import written normally: jest's VM
 * cannot run native dynamic imports, and its module registry (which maps the package) serves it.
 */
export async function importEsm<T>(specifier: string, viaModuleSystem: () => Promise<T>): Promise<T> {
  try {
    return (await nativeImport(specifier)) as T;
  } catch (nativeError) {
    try {
      return await viaModuleSystem();
    } catch {
      throw nativeError;
    }
  }
}
