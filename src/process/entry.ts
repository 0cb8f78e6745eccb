#!/usr/bin/env node
// The container image's entry point: one image, two processes, chosen by the first argument
// (the Helm chart passes `worker` or `ingress`). Each module starts its process on load.
const PROCESSES: Readonly<Record<string, string>> = {
  worker: '../worker/main',
  ingress: '../ingress/main',
  previewctl: '../cli/main',
};

const [name, ...rest] = process.argv.slice(2);
const entry = name === undefined ? undefined : PROCESSES[name];
if (entry === undefined) {
  process.stderr.write(`usage: previewd <${Object.keys(PROCESSES).join('|')}> [args…]\n`);
  process.exit(2);
}
// previewctl reads its own arguments from argv; drop the process name so it sees them as usual.
process.argv.splice(2, process.argv.length - 2, ...rest);
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the entry module is chosen at run time and starts on load
require(entry);
