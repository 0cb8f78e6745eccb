import { parseConfig } from '../../../src/config';
import { pullRequestPayloadSchema, routePullRequest } from '../../../src/ingress';
import { previewUiMetadata } from '../../../src/ingress/preview-ui-metadata';
import { pullRequestEvent } from '../../integration/ingress/github-examples';

// The Temporal UI's static summary and details of a preview, as the ingress sets them on
// signal-with-start: from the configured repository, the PR number and the action only.

const config = parseConfig({ repositories: [{ fullName: 'Acme/Shop', key: 'shop', services: [{ name: 'web', source: { repoURL: 'r', path: 'p', image: 'i' } }] }] });
const repo = config.repositories[0]!;

test('summary and details name the repository, the PR and the action, never PR text', () => {
  const example = pullRequestEvent('opened', { repository: 'acme/shop', number: 42 }, { labels: ['preview'] });
  // A hostile author: markdown, a link and a fake secret in the title, body and branch.
  const hostile = { ...example, pull_request: { ...example.pull_request, title: 'TITLE-**x**', body: 'BODY [y](https://evil.example)', head: { ...example.pull_request.head, ref: 'BRANCH-token=ghp_x' } } };
  const decision = routePullRequest(pullRequestPayloadSchema.parse(hostile), repo, config.lifecycle, 'delivery-1');
  if (decision.kind !== 'signal-with-start') throw new Error(`expected signal-with-start, got ${decision.kind}`);
  const { staticSummary, staticDetails } = previewUiMetadata(decision.input, decision.event);
  expect(staticSummary).toBe('Acme/Shop#42 preview');
  expect(staticDetails).toBe('- **Repository:** Acme/Shop\n- **Pull request:** #42\n- **Started by:** a `pull_request.opened` webhook');
  for (const text of [staticSummary, staticDetails]) expect(text).not.toMatch(/TITLE|BODY|BRANCH|evil|ghp_/);
});
