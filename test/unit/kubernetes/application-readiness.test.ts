import { applicationReadiness, buildApplication, sameSource, type KubeObject } from '../../../src/kubernetes';
import { preview, service, settings, SHA_A, SHA_B } from './fixtures';

const desired = buildApplication(settings(), preview, service(), { headSha: SHA_B });
const previous = buildApplication(settings(), preview, service(), { headSha: SHA_A });
const expected = { service: 'www', application: desired.metadata.name, headSha: SHA_B, headShaLabelKey: 'acme.io/head-sha', headShaLabel: SHA_B };
const spec = desired.spec as { source: unknown; destination: unknown };

function withStatus(app: KubeObject, status: Record<string, unknown>): KubeObject {
  return { ...app, status };
}

function synced(source: unknown, extra: Record<string, unknown> = {}) {
  return {
    sync: { status: 'Synced', revision: 'f'.repeat(40), comparedTo: { source, destination: spec.destination } },
    health: { status: 'Healthy' },
    operationState: { phase: 'Succeeded', syncResult: { revision: 'f'.repeat(40), source } },
    ...extra,
  };
}

describe('applicationReadiness', () => {
  it('is Ready when Synced + Healthy for the source in spec', () => {
    expect(applicationReadiness(expected, withStatus(desired, synced(spec.source)))).toMatchObject({ state: 'Ready', terminal: false, syncStatus: 'Synced', healthStatus: 'Healthy' });
  });

  it('is not Ready when the green status was compared against an older source', () => {
    const stale = withStatus(desired, synced((previous.spec as { source: unknown }).source));
    expect(applicationReadiness(expected, stale)).toMatchObject({ state: 'Progressing', message: expect.stringMatching(/comparedTo/) });
  });

  it('is not Ready when the Application spec is not at the head SHA yet', () => {
    const old = withStatus(previous, synced((previous.spec as { source: unknown }).source));
    expect(applicationReadiness(expected, old)).toMatchObject({ state: 'Progressing', message: expect.stringMatching(SHA_B) });
  });

  it('is not Ready without any status, or when the destination differs', () => {
    expect(applicationReadiness(expected, desired).state).toBe('Progressing');
    const elsewhere = withStatus(desired, { ...synced(spec.source), sync: { status: 'Synced', comparedTo: { source: spec.source, destination: { namespace: 'other' } } } });
    expect(applicationReadiness(expected, elsewhere).state).toBe('Progressing');
  });

  it('requires the synced revision to equal a SHA targetRevision', () => {
    const pinned = buildApplication(settings(), preview, service({ source: { repoURL: 'https://git/app', path: 'deploy', targetRevision: SHA_B, image: 'img' } }), { headSha: SHA_B });
    const src = (pinned.spec as { source: unknown }).source;
    expect(applicationReadiness(expected, withStatus(pinned, synced(src))).state).toBe('Progressing');
    const right = synced(src, { sync: { status: 'Synced', revision: SHA_B, comparedTo: { source: src, destination: spec.destination } } });
    expect(applicationReadiness(expected, withStatus(pinned, right)).state).toBe('Ready');
  });

  it('treats OutOfSync, Progressing health and a running sync as Progressing', () => {
    expect(applicationReadiness(expected, withStatus(desired, { ...synced(spec.source), sync: { status: 'OutOfSync', comparedTo: { source: spec.source, destination: spec.destination } } })).state).toBe('Progressing');
    expect(applicationReadiness(expected, withStatus(desired, synced(spec.source, { health: { status: 'Progressing' } }))).state).toBe('Progressing');
    expect(applicationReadiness(expected, withStatus(desired, synced(spec.source, { operationState: { phase: 'Running', message: 'waiting for hooks' } })))).toMatchObject({
      state: 'Progressing',
      message: 'waiting for hooks',
    });
  });

  it('surfaces Degraded health with the reason, from the app or its resources', () => {
    const withMessage = synced(spec.source, { health: { status: 'Degraded', message: 'CrashLoopBackOff' } });
    expect(applicationReadiness(expected, withStatus(desired, withMessage))).toMatchObject({ state: 'Degraded', message: 'CrashLoopBackOff', terminal: false });
    const fromResources = synced(spec.source, {
      health: { status: 'Degraded' },
      resources: [{ kind: 'Deployment', name: 'www', health: { status: 'Degraded', message: 'Deployment "www" exceeded its progress deadline' } }],
    });
    expect(applicationReadiness(expected, withStatus(desired, fromResources)).message).toBe('Deployment/www: Deployment "www" exceeded its progress deadline');
  });

  it('marks a failed sync of the desired source as terminal, but not one of an older source', () => {
    const failed = synced(spec.source, { operationState: { phase: 'Failed', message: 'one or more objects failed to apply', syncResult: { revision: 'x', source: spec.source } } });
    expect(applicationReadiness(expected, withStatus(desired, failed))).toMatchObject({ state: 'Degraded', terminal: true, message: expect.stringMatching(/failed to apply/) });
    const oldFailure = synced(spec.source, {
      operationState: { phase: 'Failed', message: 'old', syncResult: { revision: 'x', source: (previous.spec as { source: unknown }).source } },
    });
    expect(applicationReadiness(expected, withStatus(desired, oldFailure)).terminal).toBe(false);
  });

  it("names the objects that failed to apply and Argo CD's reason for each", () => {
    const resources = [
      { kind: 'ConfigMap', namespace: 'pr-a-1', name: 'smoke', status: 'Synced', message: 'configmap/smoke created' },
      { kind: 'ConfigMap', namespace: 'pr-b-2', name: 'planted', status: 'SyncFailed', message: 'configmaps "planted" is forbidden' },
      { kind: 'ClusterRole', name: 'escalate', status: 'SyncFailed', message: 'not permitted in project previews' },
    ];
    const failed = synced(spec.source, { operationState: { phase: 'Failed', message: 'one or more objects failed to apply', syncResult: { revision: 'x', source: spec.source, resources } } });
    expect(applicationReadiness(expected, withStatus(desired, failed)).message).toBe(
      'sync Failed: one or more objects failed to apply; ConfigMap pr-b-2/planted: configmaps "planted" is forbidden; ClusterRole escalate: not permitted in project previews',
    );
  });

  it('does not read a failed sync of an older commit as final: Argo CD syncs the newer one (a pushed fix) next', () => {
    const older = 'a'.repeat(40);
    const fixed = 'b'.repeat(40);
    const failedOlder = synced(spec.source, {
      sync: { status: 'OutOfSync', revision: fixed, comparedTo: { source: spec.source, destination: spec.destination } },
      operationState: { phase: 'Failed', message: 'port out of range', syncResult: { revision: older, source: spec.source } },
    });
    expect(applicationReadiness(expected, withStatus(desired, failedOlder))).toMatchObject({ state: 'Progressing', terminal: false });
    const failedCurrent = { ...failedOlder, sync: { ...failedOlder.sync, revision: older } };
    expect(applicationReadiness(expected, withStatus(desired, failedCurrent))).toMatchObject({ state: 'Degraded', terminal: true, message: 'sync Failed: port out of range' });
  });

  it('reads a requested sync as Progressing, not as the failed sync before it', () => {
    const failed = synced(spec.source, { operationState: { phase: 'Failed', message: 'quota exceeded', syncResult: { revision: 'f'.repeat(40), source: spec.source } } });
    const requested = { ...withStatus(desired, failed), operation: { sync: { revision: 'HEAD' } } };
    expect(applicationReadiness(expected, requested)).toMatchObject({ state: 'Progressing', terminal: false, message: expect.stringMatching(/sync requested/) });
    const running = { ...requested, status: { ...failed, operationState: { phase: 'Running', message: 'one or more tasks are running' } } };
    expect(applicationReadiness(expected, running)).toMatchObject({ state: 'Progressing', message: 'one or more tasks are running' });
  });

  it('surfaces error conditions', () => {
    const invalid = { conditions: [{ type: 'InvalidSpecError', message: 'application destination namespace is not permitted in project' }] };
    expect(applicationReadiness(expected, withStatus(desired, invalid))).toMatchObject({ state: 'Degraded', message: expect.stringMatching(/not permitted/) });
  });

  it('reports a missing or deleting Application', () => {
    expect(applicationReadiness(expected, undefined).state).toBe('Missing');
    expect(applicationReadiness(expected, { ...desired, metadata: { ...desired.metadata, deletionTimestamp: '2030-01-01T00:00:00Z' } }).state).toBe('Degraded');
  });
});

describe('sameSource', () => {
  it('ignores fields Argo CD omits when echoing a source, but not real differences', () => {
    expect(sameSource({ repoURL: 'r', path: 'p', helm: { parameters: [{ name: 'a', value: 'b', forceString: false }] } }, { path: 'p', repoURL: 'r', helm: { parameters: [{ value: 'b', name: 'a' }] } })).toBe(true);
    expect(sameSource({ repoURL: 'r', path: 'p' }, { repoURL: 'r', path: 'q' })).toBe(false);
    expect(sameSource(undefined, { repoURL: 'r' })).toBe(false);
  });
});
