import { parsePullRequestRef } from '../lifecycle/workflow-id';

// Every lifecycle run is named after its PR (`preview:owner/repo#12`), so any log line that
// carries the workflow id can also say which repository and PR it is about: people search
// logs by PR, not by workflow id. The id is lower-cased, so a derived repository is too.

export interface PreviewLogFields {
  readonly repository: string;
  readonly pr: number;
}

const PREVIEW_ID = /^preview:/;

/** The PR a workflow id names, or undefined for anything that is not a lifecycle run (the janitor, tests). */
export function previewFieldsOf(workflowId: unknown): PreviewLogFields | undefined {
  if (typeof workflowId !== 'string' || !PREVIEW_ID.test(workflowId)) return undefined;
  try {
    const ref = parsePullRequestRef(workflowId);
    return { repository: ref.repository, pr: ref.number };
  } catch {
    return undefined;
  }
}

/**
 * Fields to add to a log line: the PR behind its `workflowId`, unless the line already names
 * them (an activity that logs its PreviewRef keeps the repository's own spelling).
 */
export function previewLogMixin(line: object): Partial<PreviewLogFields> {
  const fields = line as { workflowId?: unknown; repository?: unknown; pr?: unknown };
  if (fields.repository !== undefined && fields.pr !== undefined) return {};
  return previewFieldsOf(fields.workflowId) ?? {};
}
