// Two projects: `unit` needs no server; `integration` gets the real servers that
// test/harness/global-setup.ts starts once per run. Temporal test files run in band
// (`maxWorkers: 1`): every file bundles workflows and owns a worker, and the machine has 2 cores.
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  },
];
// ESM-only packages that jest must transform to CommonJS.
const esmPackages = ['cookie', 'content-type', 'json-with-bigint', 'toad-cache', 'universal-github-app-jwt', '@octokit', '@kubernetes/client-node', 'universal-user-agent', 'before-after-hook', 'openid-client', 'jose', 'oauth4webapi', 'hpagent', 'isomorphic-ws'];
const common = {
  transform: { '^.+\\.(t|j|mj)sx?$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testEnvironment: 'node',
  // Exported only under the "import" condition, which jest's resolver does not use.
  moduleNameMapper: { '^@octokit/webhooks-methods$': '<rootDir>/node_modules/@octokit/webhooks-methods/dist-node/index.js' },
};

// Fault injection (test/chaos, `npm run test:chaos`) runs for minutes against the same real
// servers; it is a project of its own that only PREVIEWD_CHAOS=1 selects, so plain `jest` and
// `npm test` never run it.
const chaos = process.env.PREVIEWD_CHAOS === '1';
const chaosProject = {
  ...common,
  displayName: 'chaos',
  testMatch: ['<rootDir>/test/chaos/**/*.test.ts'],
  globalSetup: '<rootDir>/test/harness/global-setup.ts',
  globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
};

/** @type {import('jest').Config} */
module.exports = {
  maxWorkers: 1,
  // Global, not per project: jest ignores testTimeout in project configs. Integration tests
  // wait on real servers; unit tests finish long before this.
  testTimeout: 120_000,
  reporters: ['default', '<rootDir>/test/harness/summary-reporter.js'],
  projects: chaos ? [chaosProject] : [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/{integration,proof,workflows,replay}/**/*.test.ts'],
      // Per project, so a unit-only run (`--selectProjects unit`) starts no server.
      globalSetup: '<rootDir>/test/harness/global-setup.ts',
      globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
    },
  ],
};
