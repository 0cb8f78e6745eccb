import type { PrEvent, PreviewLifecycleInput } from '../../workflows/contract';

// What the Temporal UI shows for a preview before its first task runs (the runs list's summary
// column and the run's "Summary & Details"). Built only from the repository's full name (a
// configured repository), the PR number and the event's action (a fixed enum): nothing a PR
// author writes (title, branch, body) reaches it, since the UI shows it to every operator.

export interface PreviewUiMetadata {
  readonly staticSummary: string;
  readonly staticDetails: string;
}

function previewUiMetadata(input: PreviewLifecycleInput, event: Pick<PrEvent, 'action'>): PreviewUiMetadata {
  const { repository, number } = input.pr;
  return {
    staticSummary: `${repository}#${number} preview`,
    // A list: the UI renders this as markdown, where single newlines do not break lines.
    staticDetails: [`- **Repository:** ${repository}`, `- **Pull request:** #${number}`, `- **Started by:** a \`pull_request.${event.action}\` webhook`].join('\n'),
  };
}

export { previewUiMetadata };
