import { InvalidPullRequestRefError, parsePullRequestRef, previewWorkflowId } from '../../../src/lifecycle';

describe('previewWorkflowId', () => {
  it('is derived from owner/repo#number only', () => {
    expect(previewWorkflowId({ repository: 'acme/shop', number: 42 })).toBe('preview:acme/shop#42');
  });

  it('is the same for every spelling of the repository (GitHub names are case-insensitive)', () => {
    expect(previewWorkflowId({ repository: 'Acme/Shop', number: 42 })).toBe(previewWorkflowId({ repository: 'acme/shop', number: 42 }));
  });

  it('differs per PR and per repository', () => {
    const ids = new Set([
      previewWorkflowId({ repository: 'acme/shop', number: 1 }),
      previewWorkflowId({ repository: 'acme/shop', number: 11 }),
      previewWorkflowId({ repository: 'acme/shop1', number: 1 }),
      previewWorkflowId({ repository: 'acme1/shop', number: 1 }),
    ]);
    expect(ids.size).toBe(4);
  });

  it.each([
    [{ repository: 'shop', number: 1 }],
    [{ repository: 'acme/shop/extra', number: 1 }],
    [{ repository: 'acme/shop#2', number: 1 }],
    [{ repository: 'acme/shop', number: 0 }],
    [{ repository: 'acme/shop', number: 1.5 }],
  ])('refuses %j', (ref) => {
    expect(() => previewWorkflowId(ref)).toThrow(InvalidPullRequestRefError);
  });
});

describe('parsePullRequestRef', () => {
  it('reads owner/repo#n and the workflow id itself', () => {
    expect(parsePullRequestRef('acme/shop#42')).toEqual({ repository: 'acme/shop', number: 42 });
    expect(parsePullRequestRef(previewWorkflowId({ repository: 'acme/shop', number: 42 }))).toEqual({ repository: 'acme/shop', number: 42 });
  });

  it.each(['acme/shop', 'acme/shop#', '#4', 'acme/shop#x', 'acme shop#4'])('refuses %j', (text) => {
    expect(() => parsePullRequestRef(text)).toThrow(InvalidPullRequestRefError);
  });
});
