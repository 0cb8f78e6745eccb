import { workflowRunsLink } from '../../../src/worker/temporal-ui-link';

describe('the link to a preview in the Temporal UI', () => {
  it('opens the runs list filtered by the workflow id, not the bare-id page the UI answers with a 404', () => {
    const link = new URL(workflowRunsLink('http://127.0.0.1:8233/', 'previews', 'preview:acme/shop#42'));
    expect(link.origin + link.pathname).toBe('http://127.0.0.1:8233/namespaces/previews/workflows');
    expect(link.searchParams.get('query')).toBe('WorkflowId="preview:acme/shop#42"');
  });

  it('quotes the id so it cannot end the query early', () => {
    const link = new URL(workflowRunsLink('https://temporal.example', 'default', 'a"b\\c'));
    expect(link.searchParams.get('query')).toBe('WorkflowId="a\\"b\\\\c"');
  });
});
