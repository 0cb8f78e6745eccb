// The link a PR's comment, commit status and deployment give to "the workflow run". The
// Temporal UI (2.54, as the dev server ships it) has no page for a bare workflow id:
// `/namespaces/<ns>/workflows/<id>` without a run id is its 404. A preview's run id changes
// at every continue-as-new, so a run-id link would go stale; the runs list filtered by the
// workflow id always leads to the current run (and its predecessors).

/** The UI's runs list for one workflow id: `…/namespaces/<ns>/workflows?query=WorkflowId="<id>"`. */
function workflowRunsLink(uiUrl: string, namespace: string, workflowId: string): string {
  const query = `WorkflowId="${workflowId.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  return `${uiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(query)}`;
}

export { workflowRunsLink };
