// Writes the prebuilt workflow bundle the worker loads in production (dist/workflow-bundle.js),
// from the workflow sources (workflows/index.ts; the SDK's bundler compiles TypeScript itself).
// Part of `npm run build`: bundling at the worker's start instead costs seconds of CPU and leaves
// webpack's memory in the process. The replay test (test/replay) builds its bundle with this
// same script, so CI replays the recorded histories against what the image ships.
//   node scripts/bundle-workflows.mjs [out-file] [workflows-module]
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { bundleWorkflowCode } = require('@temporalio/worker');

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(root, process.argv[2] ?? 'dist/workflow-bundle.js');
const workflowsPath = resolve(root, process.argv[3] ?? 'workflows/index.ts');
const quiet = { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} };
const { code } = await bundleWorkflowCode({ workflowsPath, logger: quiet });
writeFileSync(out, code);
console.log(`workflow bundle: ${out} (${(code.length / 1024).toFixed(0)} KiB) from ${workflowsPath}`);
