import { PREVIEW_PHASES, PREVIEW_WORKFLOW_TYPE, PreviewExpiresAt, PreviewHeadSha, PreviewPhase, PreviewPullRequest, PreviewRepository } from '../../../workflows/contract';
import { REPOSITORY_NAME } from '../../config';
import type { CliContext } from '../cli-context';
import { CliError, EXIT } from '../cli-io';
import { canonicalRepository } from '../pull-request-arg';

// `previewctl list [--repo owner/repo] [--phase Ready]`: a visibility query over the search
// attributes the workflow keeps current, the same filter as the Temporal UI's.

export interface ListOptions {
  readonly repo?: string;
  readonly phase?: string;
  readonly all?: boolean;
  readonly limit: number;
  readonly json?: boolean;
}

export interface ListedPreview {
  readonly workflowId: string;
  readonly status: string;
  readonly repository?: string;
  readonly pullRequest?: number;
  readonly phase?: string;
  readonly headSha?: string;
  readonly expiresAt?: string;
  readonly url?: string;
}

function phaseOf(text: string): PreviewPhase {
  const phase = PREVIEW_PHASES.find((p) => p.toLowerCase() === text.toLowerCase());
  if (!phase) throw new CliError(`unknown phase "${text}" (one of ${PREVIEW_PHASES.join(', ')})`, EXIT.usage);
  return phase;
}

/** The visibility query; values are validated first, so none can break out of its quotes. */
export function listQuery(options: Pick<ListOptions, 'repo' | 'phase' | 'all'>, repository?: string): string {
  const clauses = [`WorkflowType = '${PREVIEW_WORKFLOW_TYPE}'`];
  if (!options.all) clauses.push(`ExecutionStatus = 'Running'`);
  if (repository !== undefined) {
    if (!REPOSITORY_NAME.test(repository)) throw new CliError(`"${repository}" is not owner/repo`, EXIT.usage);
    // Runs write the lower-case spelling; runs started before that wrote the configured one.
    const spellings = [...new Set([repository.toLowerCase(), repository])].map((r) => `'${r}'`);
    clauses.push(`${PreviewRepository.name} IN (${spellings.join(', ')})`);
  }
  if (options.phase !== undefined) clauses.push(`${PreviewPhase.name} = '${phaseOf(options.phase)}'`);
  return clauses.join(' AND ');
}

export async function listCommand(ctx: CliContext, options: ListOptions): Promise<ListedPreview[]> {
  const repository = options.repo === undefined ? undefined : canonicalRepository(options.repo, ctx.config());
  const query = listQuery(options, repository);
  const client = await ctx.client();
  const rows: ListedPreview[] = [];
  for await (const run of client.workflow.list({ query, pageSize: Math.min(options.limit, 1000) })) {
    const sa = run.typedSearchAttributes;
    const expires = sa.get(PreviewExpiresAt);
    rows.push({
      workflowId: run.workflowId,
      status: run.status.name,
      repository: sa.get(PreviewRepository),
      pullRequest: sa.get(PreviewPullRequest),
      phase: sa.get(PreviewPhase),
      headSha: sa.get(PreviewHeadSha),
      expiresAt: expires?.toISOString(),
      url: typeof run.memo?.url === 'string' ? run.memo.url : undefined,
    });
    if (rows.length >= options.limit) break;
  }
  if (options.json) ctx.io.out(JSON.stringify(rows, null, 2));
  else if (rows.length === 0) ctx.io.out(`no previews match (${query})`);
  else {
    for (const r of rows) {
      ctx.io.out([r.workflowId, r.phase ?? r.status, r.headSha?.slice(0, 12) ?? '-', r.expiresAt ?? '-', r.url ?? ''].join('\t').trimEnd());
    }
  }
  return rows;
}
