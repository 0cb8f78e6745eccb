import { ApplicationFailure } from '@temporalio/common';
import { KubernetesApiError, toActivityFailure } from '../../../activities/kubernetes';

const apiError = (code: number, message: string) => new KubernetesApiError(code, undefined, message, 'apply Application argocd/x');

describe('toActivityFailure', () => {
  it.each([
    [409, 'the object has been modified', 'KubernetesConflict', false],
    [422, 'spec.destination: Required value', 'KubernetesInvalid', true],
    [400, 'bad request', 'KubernetesInvalid', true],
    [500, 'failed to create typed patch object (argocd/x): .spec.destination: expected map', 'KubernetesInvalid', true],
    [403, 'namespaces is forbidden', 'KubernetesForbidden', true],
    [500, 'etcdserver: leader changed', 'KubernetesUnavailable', false],
    [503, 'unavailable', 'KubernetesUnavailable', false],
  ])('%d %s → %s (non-retryable: %s)', (code, message, type, nonRetryable) => {
    const failure = toActivityFailure(apiError(code, message));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type, nonRetryable });
    expect((failure as Error).message).toContain(message);
  });

  it('passes other errors through unchanged (network errors stay retryable)', () => {
    const err = new Error('socket hang up');
    expect(toActivityFailure(err)).toBe(err);
  });
});
