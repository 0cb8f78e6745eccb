import { effectivePhase, type ListedComment, type ReportSnapshot } from '../../../src/github';
import type { PreviewPhase } from '../../../workflows/contract';

// GitHub as previewd's reports and API reads see it: what each pull request really is right
// now (its API answer), and what the PR shows last (the sticky comment is updated in place, so
// the last report that got through is what people see; commit statuses are per head SHA).

/** A pull request as GitHub's REST API would answer for it at this moment. */
export interface PullRequestTruth {
  readonly number: number;
  readonly state: 'open' | 'closed';
  readonly draft: boolean;
  readonly labels: readonly string[];
  readonly headSha: string;
  /** ISO-8601, second resolution, as GitHub writes it. */
  readonly updatedAt: string;
}

/** What one accepted report made the PR show. */
export interface ShownReport {
  readonly workflowId: string;
  readonly headSha: string;
  readonly deployedHeadSha?: string;
  /** The phase as the commit status and comment present it for `headSha`. */
  readonly phase: PreviewPhase;
  readonly reportedPhase: PreviewPhase;
  readonly reason?: string;
  readonly final: boolean;
  /** Wall-clock ms at which GitHub accepted it. */
  readonly at: number;
}

// Pull requests are keyed like previews (`previewKey`): the test configures each repository
// with its own key, so the key names the repository.

export class GitHubModel {
  private readonly pulls = new Map<string, PullRequestTruth>();
  private readonly shown = new Map<string, ShownReport[]>();
  private readonly commentLists = new Map<string, ListedComment[]>();

  /** The pull request changed on GitHub (the event happened; its delivery may come later). */
  setPullRequest(key: string, pr: PullRequestTruth): void {
    this.pulls.set(key, pr);
  }

  pullRequest(key: string): PullRequestTruth | undefined {
    return this.pulls.get(key);
  }

  /** Something happened on GitHub (its webhook may come later, or never): the PR after it, and a comment it wrote. */
  happened(key: string, change: { readonly pr: PullRequestTruth; readonly comment?: ListedComment }): void {
    this.setPullRequest(key, change.pr);
    if (change.comment) this.commentLists.set(key, [...this.comments(key), change.comment]);
  }

  /** The PR's comments, oldest first (what `GET …/issues/{n}/comments` lists). */
  comments(key: string): readonly ListedComment[] {
    return this.commentLists.get(key) ?? [];
  }

  accept(key: string, report: ReportSnapshot): void {
    const list = this.shown.get(key) ?? [];
    list.push({
      workflowId: report.workflowId,
      headSha: report.headSha,
      deployedHeadSha: report.deployedHeadSha,
      phase: effectivePhase(report),
      reportedPhase: report.phase,
      reason: report.reason,
      final: report.final,
      at: Date.now(),
    });
    this.shown.set(key, list);
  }

  /** Every report GitHub accepted for the PR, oldest first. */
  reports(key: string): readonly ShownReport[] {
    return this.shown.get(key) ?? [];
  }

  /** What the PR's sticky comment shows now. */
  lastShown(key: string): ShownReport | undefined {
    return this.shown.get(key)?.at(-1);
  }

  /** The commit status of one head SHA: the last report about that head. */
  statusOf(key: string, headSha: string): ShownReport | undefined {
    return [...this.reports(key)].reverse().find((r) => r.headSha === headSha);
  }
}
