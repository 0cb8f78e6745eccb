import { Connection, isGrpcServiceError } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
// Not re-exported from the package root; the SDK exports it so tests can register attributes.
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import type { Logger } from 'pino';
import { temporalConnectionOptions, type PreviewdConfig } from '../config';
import { SearchAttributesMissingError, type SearchAttributeProblem } from '../errors';
import { PREVIEW_SEARCH_ATTRIBUTES } from '../../workflows/contract';

// previewd's workflows upsert their search attributes from the first workflow task on. On a
// namespace that lacks one, the server rejects every such task (BadSearchAttributes) and the
// preview never moves, while the worker itself looks healthy. So the worker lists the
// namespace's attributes before it polls and refuses to start when one is missing or has
// another type, naming the command that fixes it. With `temporal.registerSearchAttributes` it
// adds the missing ones itself (self-hosted servers, operator rights).

// The CLI spells index types in PascalCase (`--type Keyword`); the SDK in upper snake case.
const CLI_TYPE: Readonly<Record<SearchAttributeType, string>> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

export function cliTypeName(type: SearchAttributeType): string {
  return CLI_TYPE[type];
}

/**
 * The command that registers one attribute. One `--name`/`--type` pair per command: the CLI
 * (1.9) pairs repeated `--name`s with `--type`s by position and silently drops names without one.
 */
export function createCommand(namespace: string, name: string, cliType: string): string {
  return `temporal operator search-attribute create --namespace ${namespace} --name ${name} --type ${cliType}`;
}

/** The server's enum value (`INDEXED_VALUE_TYPE_KEYWORD` = 2) → the CLI's name, for every type the SDK knows. */
const TYPE_OF_INDEX: ReadonlyMap<number, string> = new Map(
  Object.values(SearchAttributeType).map((type) => [encodeSearchAttributeIndexedValueType(type) as number, cliTypeName(type)]),
);

/** What the namespace lacks, from its custom attributes as `listSearchAttributes` returns them (name → enum value). */
export function searchAttributeProblems(custom: Readonly<Record<string, number | null | undefined>>): SearchAttributeProblem[] {
  const problems: SearchAttributeProblem[] = [];
  for (const key of PREVIEW_SEARCH_ATTRIBUTES) {
    const actual = custom[key.name];
    if (actual === encodeSearchAttributeIndexedValueType(key.type)) continue;
    const expected = cliTypeName(key.type);
    problems.push(actual === undefined || actual === null ? { name: key.name, expected } : { name: key.name, expected, actual: TYPE_OF_INDEX.get(actual) ?? String(actual) });
  }
  return problems;
}

/** The refusal: each problem with the command that fixes it. */
export function missingAttributesMessage(namespace: string, problems: readonly SearchAttributeProblem[]): string {
  const lines = problems.map((p) => {
    const create = createCommand(namespace, p.name, p.expected);
    if (p.actual === undefined) return `  ${p.name} (${p.expected}) is missing:\n    ${create}`;
    // A registered attribute cannot change its type: it has to be removed first (its values go with it).
    return `  ${p.name} is registered as ${p.actual}, previewd needs ${p.expected}:\n    temporal operator search-attribute remove --namespace ${namespace} --name ${p.name}\n    ${create}`;
  });
  return [
    `Temporal namespace "${namespace}" lacks previewd's search attributes; every preview's workflow tasks would fail (BadSearchAttributes) until they exist. Run:`,
    ...lines,
    'then start the worker again. (Or set temporal.registerSearchAttributes: true to let the worker add missing ones on a self-hosted server; on Temporal Cloud add them in the namespace settings or with tcld.)',
  ].join('\n');
}

// PERMISSION_DENIED, UNIMPLEMENTED: the operator API is not open to these credentials (Temporal
// Cloud with a namespace API key or mTLS, a self-hosted server behind an authorizer).
const NOT_PERMITTED_GRPC_CODES: ReadonlySet<number> = new Set([7, 12]);

export type SearchAttributeCheck =
  | { readonly outcome: 'present' }
  | { readonly outcome: 'registered'; readonly names: readonly string[] }
  /** Listing is not permitted: nothing was checked, and the reason says why. */
  | { readonly outcome: 'not-checked'; readonly reason: string };

export interface OperatorApi {
  listSearchAttributes(req: { namespace: string }): Promise<{ customAttributes?: Record<string, number> | null }>;
  addSearchAttributes(req: { namespace: string; searchAttributes: Record<string, number> }): Promise<unknown>;
}

export interface SearchAttributeCheckOptions {
  readonly namespace: string;
  /** Add missing attributes instead of refusing (never changes one registered with another type). */
  readonly register: boolean;
}

/**
 * Lists the namespace's attributes; throws SearchAttributesMissingError when one of previewd's
 * is absent or has another type (after registering the absent ones, with `register`).
 */
export async function checkSearchAttributes(operator: OperatorApi, options: SearchAttributeCheckOptions): Promise<SearchAttributeCheck> {
  const { namespace } = options;
  let custom: Record<string, number>;
  try {
    custom = (await operator.listSearchAttributes({ namespace })).customAttributes ?? {};
  } catch (err) {
    if (isGrpcServiceError(err) && NOT_PERMITTED_GRPC_CODES.has(err.code)) return { outcome: 'not-checked', reason: err.details || err.message };
    throw err;
  }
  const problems = searchAttributeProblems(custom);
  if (problems.length === 0) return { outcome: 'present' };
  const absent = problems.filter((p) => p.actual === undefined).map((p) => p.name);
  // Only when every problem is an absence: a wrong type needs a removal, which loses data and is an operator's call.
  if (options.register && absent.length === problems.length) return register(operator, namespace, problems);
  throw new SearchAttributesMissingError(namespace, problems, missingAttributesMessage(namespace, problems));
}

async function register(operator: OperatorApi, namespace: string, problems: readonly SearchAttributeProblem[]): Promise<SearchAttributeCheck> {
  const names = problems.map((p) => p.name);
  const searchAttributes = Object.fromEntries(PREVIEW_SEARCH_ATTRIBUTES.filter((k) => names.includes(k.name)).map((k) => [k.name, encodeSearchAttributeIndexedValueType(k.type) as number]));
  try {
    await operator.addSearchAttributes({ namespace, searchAttributes });
  } catch (err) {
    if (!(isGrpcServiceError(err) && NOT_PERMITTED_GRPC_CODES.has(err.code))) throw err;
    const why = `temporal.registerSearchAttributes is set, but these credentials may not add search attributes (${err.details || err.message}).`;
    throw new SearchAttributesMissingError(namespace, problems, `${why}\n${missingAttributesMessage(namespace, problems)}`);
  }
  // Listed again: what counts is what the namespace has now, not what the call said.
  const check = await checkSearchAttributes(operator, { namespace, register: false });
  return check.outcome === 'present' ? { outcome: 'registered', names } : check;
}

/** What the worker process runs before it polls: a connection of its own, closed again. */
export async function ensureNamespaceSearchAttributes(config: Pick<PreviewdConfig, 'temporal'>, logger: Pick<Logger, 'info' | 'warn' | 'error'>): Promise<SearchAttributeCheck> {
  const { namespace, registerSearchAttributes } = config.temporal;
  const connection = await Connection.connect({ ...temporalConnectionOptions(config.temporal), connectTimeout: 10_000 });
  try {
    const check = await checkSearchAttributes(connection.operatorService, { namespace, register: registerSearchAttributes }).catch((err: unknown) => {
      // A JSON line for log pipelines and alerts; the process prints the full message with the commands as it exits.
      if (err instanceof SearchAttributesMissingError) logger.error({ namespace, code: err.code, problems: err.problems }, "the namespace lacks previewd's search attributes; the worker does not start");
      throw err;
    });
    if (check.outcome === 'not-checked') {
      // One line, once: on Temporal Cloud this is the normal case, not a fault.
      logger.warn({ namespace, reason: check.reason }, "search attributes not checked: these credentials may not list the namespace's search attributes (Temporal Cloud); make sure previewd's five exist");
    } else if (check.outcome === 'registered') {
      logger.info({ namespace, registered: check.names }, 'registered missing search attributes (temporal.registerSearchAttributes)');
    }
    return check;
  } finally {
    await connection.close();
  }
}
