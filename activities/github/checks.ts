import type { ChecksReading, CommitStatusSeen, ReadChecksInput } from '../../workflows/contract';
import { splitRepository } from '../../src/github';
import { githubCall } from './github-call';
import type { GitHubContext } from './github-context';

/** A head SHA with more check runs than this (10 pages) is unusual; the newest are listed first. */
const MAX_CHECK_RUN_PAGES = 10;

const STATUS_STATES = new Set<string>(['pending', 'success', 'failure', 'error']);

function isStatusState(state: string): state is CommitStatusSeen['state'] {
  return STATUS_STATES.has(state);
}

/**
 * The head SHA's check runs (`GET /repos/{o}/{r}/commits/{ref}/check-runs`, the latest run per
 * name) and commit statuses (`GET …/commits/{ref}/status`, the latest per context), reduced to
 * the names the gate waits for: the gate's decision reads only what lands in history.
 */
export function readChecks(ctx: GitHubContext, input: ReadChecksInput): Promise<ChecksReading> {
  const names = new Set(input.names);
  return githubCall(ctx, 'checks', input.preview.repository, async (octokit) => {
    const repo = { ...splitRepository(input.preview.repository), ref: input.headSha };
    let pages = 0;
    const runs = await octokit.paginate(octokit.rest.checks.listForRef, { ...repo, filter: 'latest', per_page: 100 }, (response, done) => {
      if (++pages >= MAX_CHECK_RUN_PAGES) done();
      return response.data;
    });
    const { data: combined } = await octokit.rest.repos.getCombinedStatusForRef({ ...repo, per_page: 100 });
    return {
      headSha: input.headSha,
      checkRuns: runs.filter((r) => names.has(r.name)).map((r) => ({ id: r.id, name: r.name, status: r.status, conclusion: r.conclusion ?? null })),
      statuses: combined.statuses.filter((s) => names.has(s.context) && isStatusState(s.state)).map((s) => ({ context: s.context, state: s.state as CommitStatusSeen['state'] })),
    };
  });
}
