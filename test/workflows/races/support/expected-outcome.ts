import type { GitHubEvent } from './pull-request-simulation';

// What previewd must end up with, read off the pull request's true history alone, whatever
// order the deliveries came in (DESIGN.md, lifecycle: an older head move never replaces a
// newer one; a delivery id is applied at most once for the PR's whole life; an event that
// legitimately re-creates a preview is never lost to a teardown in progress):
// - the newest event that may create a preview, if no ending event (closed, trigger label
//   removed, /preview destroy) came after it, means a preview exists and runs the PR's head;
// - otherwise there is none.
// `/preview redeploy` and `/preview extend` act on a preview that exists and never create one.

export interface ExpectedOutcome {
  readonly wanted: boolean;
  /** The PR's head on GitHub now: what a wanted preview runs. */
  readonly headSha: string;
  readonly open: boolean;
  /** Some event could have created a preview at some point. */
  readonly everWanted: boolean;
  /** The event that decided `wanted` (for messages). */
  readonly decidedBy?: GitHubEvent;
}

export function expectedOutcome(events: readonly GitHubEvent[]): ExpectedOutcome {
  let wanted = false;
  let everWanted = false;
  let decidedBy: GitHubEvent | undefined;
  for (const e of events) {
    if (e.creates) {
      wanted = true;
      everWanted = true;
      decidedBy = e;
    } else if (e.ends && wanted) {
      wanted = false;
      decidedBy = e;
    }
  }
  const last = events.at(-1);
  if (!last) throw new Error('a pull request history starts with opened');
  return { wanted, headSha: last.pr.headSha, open: last.pr.state === 'open', everWanted, decidedBy };
}
