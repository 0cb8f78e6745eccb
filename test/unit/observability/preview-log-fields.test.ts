import { previewFieldsOf, previewLogMixin } from '../../../src/observability';

describe('the PR behind a workflow id', () => {
  it('reads repository and PR number from a lifecycle workflow id', () => {
    expect(previewFieldsOf('preview:acme/shop#42')).toEqual({ repository: 'acme/shop', pr: 42 });
  });

  it('says nothing for other workflows and for what is not a workflow id', () => {
    for (const id of ['janitor', 'acme/shop#42', 'preview:not-a-ref', 'preview:acme/shop#0', undefined, 42]) expect(previewFieldsOf(id)).toBeUndefined();
  });
});

describe('log mixin', () => {
  it('adds repository and pr to a line that carries a lifecycle workflow id', () => {
    expect(previewLogMixin({ workflowId: 'preview:acme/shop#7', activityType: 'teardown' })).toEqual({ repository: 'acme/shop', pr: 7 });
  });

  it('leaves lines that already name their PR, and lines without a workflow id, alone', () => {
    expect(previewLogMixin({ workflowId: 'preview:acme/shop#7', repository: 'Acme/Shop', pr: 7 })).toEqual({});
    expect(previewLogMixin({ msg: 'worker started' })).toEqual({});
  });
});
