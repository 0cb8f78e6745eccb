import { OPERATION_HINTS, permissionMessage, validationMessage } from '../../../src/github';

describe('permissionMessage', () => {
  it.each([
    ['commitStatus', '"Commit statuses: Read and write"', '"repo:status"'],
    ['deployment', '"Deployments: Read and write"', '"repo_deployment"'],
    ['comment', '"Pull requests: Read and write"', '"repo"'],
    ['changedFiles', '"Pull requests: Read-only"', '"repo"'],
  ] as const)('%s names the App permission and the token scope', (operation, appPermission, scope) => {
    const message = permissionMessage(operation, 'acme/shop', 403, 'Resource not accessible by integration');
    expect(message).toContain(`GitHub refused to ${OPERATION_HINTS[operation].action} on acme/shop (403): Resource not accessible by integration.`);
    expect(message).toContain(`A GitHub App needs ${appPermission}`);
    expect(message).toContain(scope);
  });

  it('explains that a 404 can mean invisible', () => {
    expect(permissionMessage('deployment', 'acme/shop', 404, 'Not Found')).toContain('(404: not found, or not visible to these credentials)');
  });

  it('keeps GitHub’s validation message and names the permission to check', () => {
    expect(validationMessage('commitStatus', 'acme/shop', 'No commit found for SHA: abc')).toBe(
      'GitHub rejected the request to set the commit status on acme/shop (422): No commit found for SHA: abc. If the request itself is valid, check that a GitHub App has "Commit statuses: Read and write".',
    );
  });
});
