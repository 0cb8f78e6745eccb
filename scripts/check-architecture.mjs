#!/usr/bin/env node
// Architecture checks that ESLint rules cannot express, run by `npm run lint`:
// 1. Every file the workflow bundle includes (a static walk of value imports from
//    workflows/index.ts: type-only imports are erased and not bundled) gets the sandbox rule of
//    eslint.config.mjs. A new module the workflows start to use must be added to its
//    WORKFLOW_BUNDLE globs, and then the rule says whether it is sandbox-safe.
// 2. No import cycle at all in src/, workflows/, activities/ and test/, type-only imports
//    included (import-x/no-cycle only follows value imports).
// 3. The workflow contract (workflows/contract) imports only its own files, the Temporal
//    definition helpers, and types from src/config.
// 4. Config is the bottom of the graph: src/config imports only itself and src/errors.ts.
// 5. Outside workflows/, the workflows are reached only through their contract.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const rel = (file) => relative(root, file);
const SANDBOX_MESSAGE = 'Workflow code is deterministic and sandboxed';

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

const compilerOptions = { moduleResolution: ts.ModuleResolutionKind.Node10, resolveJsonModule: true };
const host = ts.createCompilerHost(compilerOptions);

/** Whether an import or re-export brings in only types (erased by the compiler). */
function typeOnly(node) {
  if (ts.isImportDeclaration(node)) {
    const clause = node.importClause;
    if (!clause) return false;
    if (clause.isTypeOnly) return true;
    const named = clause.namedBindings;
    return !clause.name && named !== undefined && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
  }
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  return clause !== undefined && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
}

/** A file's imports: specifier, the file it resolves to inside the project (if any), and whether only types come in. */
function importsOf(file) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const found = [];
  const add = (specifier, isTypeOnly) => {
    const resolved = ts.resolveModuleName(specifier, file, compilerOptions, host).resolvedModule;
    const target = resolved && !resolved.isExternalLibraryImport && resolved.resolvedFileName.startsWith(root) ? resolved.resolvedFileName : undefined;
    found.push({ specifier, target, typeOnly: isTypeOnly });
  };
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) add(node.moduleSpecifier.text, typeOnly(node));
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && ts.isStringLiteral(node.arguments[0])) add(node.arguments[0].text, false);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) add(node.argument.literal.text, true);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const files = ['src', 'workflows', 'activities', 'test'].flatMap((d) => sources(join(root, d)));
const graph = new Map(files.map((f) => [f, importsOf(f)]));
const problems = [];

// 1. The workflow bundle is covered by the sandbox rule.
const bundle = new Set();
const pending = [join(root, 'workflows/index.ts')];
while (pending.length > 0) {
  const file = pending.pop();
  if (bundle.has(file)) continue;
  bundle.add(file);
  for (const imp of graph.get(file) ?? []) if (imp.target && !imp.typeOnly) pending.push(imp.target);
}
// `--list-bundle` prints what the walk found (to see why a file is in the bundle).
if (process.argv.includes('--list-bundle')) process.stdout.write(`${[...bundle].map(rel).sort().join('\n')}\n`);
const eslint = new ESLint({ cwd: root });
for (const file of [...bundle].sort()) {
  const config = await eslint.calculateConfigForFile(file);
  const rule = config?.rules?.['@typescript-eslint/no-restricted-imports'];
  if (!JSON.stringify(rule ?? '').includes(SANDBOX_MESSAGE)) {
    problems.push(`the workflow bundle includes ${rel(file)}, which the sandbox rule does not cover: add it to WORKFLOW_BUNDLE in eslint.config.mjs`);
  }
}

// 2. No cycles, type-only imports included (Tarjan's strongly connected components).
let counter = 0;
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
function connect(file) {
  index.set(file, counter);
  low.set(file, counter);
  counter += 1;
  stack.push(file);
  onStack.add(file);
  for (const { target } of graph.get(file) ?? []) {
    if (!target || !graph.has(target)) continue;
    if (!index.has(target)) {
      connect(target);
      low.set(file, Math.min(low.get(file), low.get(target)));
    } else if (onStack.has(target)) low.set(file, Math.min(low.get(file), index.get(target)));
  }
  if (low.get(file) !== index.get(file)) return;
  const component = [];
  let member;
  do {
    member = stack.pop();
    onStack.delete(member);
    component.push(rel(member));
  } while (member !== file);
  if (component.length > 1) problems.push(`import cycle (type-only imports count too): ${component.sort().join(' ↔ ')}`);
}
for (const file of graph.keys()) if (!index.has(file)) connect(file);

// 3. The contract: its own files, Temporal's definition helpers, types from src/config.
const contractDir = join(root, 'workflows/contract/');
const configDir = join(root, 'src/config/');
for (const [file, imports] of graph) {
  if (!file.startsWith(contractDir)) continue;
  for (const imp of imports) {
    const ok = imp.target ? imp.target.startsWith(contractDir) || (imp.typeOnly && imp.target.startsWith(configDir)) : ['@temporalio/workflow', '@temporalio/common'].includes(imp.specifier);
    if (!ok) problems.push(`${rel(file)} imports "${imp.specifier}": the contract holds types and pure constants (its own files, @temporalio/workflow and /common, types from src/config)`);
  }
}

// 4. Config at the bottom of the graph.
for (const [file, imports] of graph) {
  if (!file.startsWith(configDir)) continue;
  for (const imp of imports) {
    if (imp.target && !imp.target.startsWith(configDir) && imp.target !== join(root, 'src/errors.ts')) {
      problems.push(`${rel(file)} imports ${rel(imp.target)}: src/config is the bottom of the graph (it may import only src/config and src/errors.ts)`);
    }
  }
}

// 5. Workflow code is reached through the contract (tests may bundle or inspect the workflows themselves).
const workflowsDir = join(root, 'workflows/');
for (const [file, imports] of graph) {
  if (file.startsWith(workflowsDir) || file.startsWith(join(root, 'test/'))) continue;
  for (const imp of imports) {
    if (imp.target?.startsWith(workflowsDir) && !imp.target.startsWith(contractDir)) {
      problems.push(`${rel(file)} imports ${rel(imp.target)}: outside workflows/, import the workflow contract (workflows/contract) instead`);
    }
  }
}

if (problems.length > 0) {
  for (const p of problems) process.stderr.write(`check-architecture: ${p}\n`);
  process.exit(1);
}
process.stdout.write(`check-architecture: ${graph.size} files, no import cycle; the workflow bundle's ${bundle.size} project files are all under the sandbox rule; contract and config imports in bounds\n`);
