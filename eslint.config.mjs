// Type-aware lint, plus the architecture's rules:
// - the Temporal sandbox boundary: code the workflow bundle includes may import only types from
//   activities and nothing that does I/O. WORKFLOW_BUNDLE lists those files; scripts/check-architecture.mjs
//   (part of `npm run lint`) fails when the bundle includes a file these globs miss;
// - no import cycles (import-x/no-cycle, resolving the TypeScript sources);
// - explicit export lists: no `export *`.
import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

const nodeBuiltins = ['assert', 'buffer', 'child_process', 'crypto', 'dns', 'events', 'fs', 'fs/promises', 'http', 'http2', 'https', 'net', 'os', 'path', 'process', 'stream', 'timers', 'tls', 'url', 'util', 'worker_threads', 'zlib'];

/** Every file the workflow bundle (workflows/index.ts) includes, and the workflow fixtures of the tests. */
export const WORKFLOW_BUNDLE = [
  'workflows/**/*.ts',
  'src/lifecycle/**/*.ts',
  'src/config/durations.ts',
  'src/config/lifecycle-defaults.ts',
  'src/config/repository-name.ts',
  'src/janitor/janitor-summary.ts',
  'test/fixtures/workflows/**/*.ts',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    // import-x reads TypeScript sources only when told to (extensions, parser) and resolves them
    // with its node resolver; without these no-cycle sees no edges and passes everything.
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.d.ts', '.js', '.json'] })],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-empty-function': 'off',
      'import-x/no-cycle': 'error',
      'import-x/no-duplicates': 'error',
      'no-restricted-syntax': ['error', { selector: 'ExportAllDeclaration', message: 'List what a module exports (no `export *`): an index says what its folder offers.' }],
    },
  },
  {
    files: WORKFLOW_BUNDLE,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.flatMap((name) => [
            { name, message: 'Workflow code is deterministic and sandboxed: no Node APIs.' },
            { name: `node:${name}`, message: 'Workflow code is deterministic and sandboxed: no Node APIs.' },
          ]),
          patterns: [
            { group: ['**/activities', '**/activities/*'], allowTypeImports: true, message: 'Workflows import only types from activities; call them through proxyActivities.' },
            {
              group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@kubernetes/*', '@octokit/*', 'openai', 'fastify', 'pino', 'prom-client', 'pg', 'yaml', '**/src/dev/*'],
              message: 'No I/O in workflow code.',
            },
            // Every workflow run evaluates the bundle's modules in a sandbox of its own: zod there
            // cost each cached preview its schema constructors and the first workflow task its
            // time (`PREVIEWD_BENCH_ONLY=sandbox npm run bench`). The config's zod schemas are
            // reached only for types; defaults and the workflow's checks are zod-free.
            {
              group: ['zod', 'zod/*'],
              message: 'No zod in the workflow bundle (it is instantiated again in every run): check inputs with src/lifecycle/input-checks.',
            },
            {
              // src/config's index and its schema files, by value; its zod-free leaves are fine.
              regex: '(^|/)config(/(?!(durations|lifecycle-defaults|repository-name)$)[^/]+)?$',
              allowTypeImports: true,
              message: 'No zod in the workflow bundle (it is instantiated again in every run): take only types from src/config, values from its zod-free durations, lifecycle-defaults and repository-name.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
);
