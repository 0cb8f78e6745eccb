import type { KubernetesActivities } from '../../../activities/kubernetes';
import type { PreviewActivities } from '../../../workflows/contract';

// The workflow proxies PreviewActivities; the Kubernetes activities must be usable in its
// place. This is a compile-time check (tsc runs in `npm test`): it stops compiling the day one
// of their signatures drifts from the contract the workflow calls.
type KubernetesPart = Pick<PreviewActivities, 'ensureNamespace' | 'applyBaseline' | 'deployApps' | 'waitReady' | 'teardown'>;
const conforms = (activities: KubernetesActivities): KubernetesPart => activities;

describe('activity contract', () => {
  it('the Kubernetes activities implement the part of PreviewActivities they own (checked by tsc)', () => {
    expect(typeof conforms).toBe('function');
  });
});
