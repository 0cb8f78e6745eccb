import type { Client } from '@temporalio/client';
import { previewWorkflowId } from '../../src/lifecycle';
import { uniqueId } from '../harness';
import { phaseIs, prEvent, repoConfig, sha, startPreview, previewWorkerPerFile, untilStatus, type RunningWorker } from './support';
import { type DeployAppsInput, type PreviewReport, type ResolveImagesInput, prEventSignal } from '../../workflows/contract';

// Image selection and route acceptance in the lifecycle, on the dev server with activity
// doubles: which digests reach deployApps, that a refused lock file deploys nothing and says
// why, and that a URL is shown only once its route is accepted.

const DIGEST = `sha256:${'4'.repeat(64)}`;

let client: Client;
let w: RunningWorker;

previewWorkerPerFile('images', (running) => {
  ({ client, worker: w } = running);
});

const repo = (what: string) => `acme/${uniqueId(what)}`;
const scriptOf = (repository: string) => w.doubles.for(previewWorkflowId({ repository, number: 7 }));
const reports = (repository: string) => scriptOf(repository).callsOf('reportPreview').map((c) => c.input as PreviewReport);
const activitiesOf = (repository: string) => scriptOf(repository).calls.filter((c) => c.activity !== 'reportPreview').map((c) => c.activity);

describe('image selection', () => {
  it('tag mode reads no lock file', async () => {
    const repository = repo('tag');
    await untilStatus(await startPreview(client, w.taskQueue, { repository }), phaseIs('Ready'), 'Ready');
    expect(scriptOf(repository).callsOf('resolveImages')).toEqual([]);
  });

  it('digestLock reads the lock once per head, before anything is created, and deploys the pinned digests', async () => {
    const repository = repo('lock');
    scriptOf(repository).lock({ web: DIGEST });
    const handle = await startPreview(client, w.taskQueue, { repository, config: repoConfig(repository, { images: { mode: 'digestLock' } }) });
    const ready = await untilStatus(handle, phaseIs('Ready'), 'Ready');
    expect(activitiesOf(repository).slice(0, 3)).toEqual(['resolveImages', 'ensureNamespace', 'applyBaseline']);
    expect(scriptOf(repository).callsOf('resolveImages').map((c) => c.input as ResolveImagesInput)).toEqual([
      expect.objectContaining({ headSha: sha(1), selection: { mode: 'digestLock', lockFile: 'deploy/preview/images.lock.yaml', maxLockBytes: 65_536 } }),
    ]);
    // db is not pinned: it runs the head SHA tag (no image entry); web runs its digest.
    expect(scriptOf(repository).callsOf('deployApps').map((c) => [(c.input as DeployAppsInput).phase, (c.input as DeployAppsInput).images])).toEqual([
      [610, {}],
      [650, { web: { digest: DIGEST } }],
    ]);
    expect(ready.recentEvents.map((e) => e.kind)).toContain('images');
  });

  it('a refused lock file fails the round with its reason on the PR, and nothing is created or deployed', async () => {
    const repository = repo('refused');
    const script = scriptOf(repository).fail('resolveImages', {
      type: 'ImageLockInvalid',
      message: `deploy/preview/images.lock.yaml is refused: unknown service "ghost" (configured: db, web) (at ${sha(1)})`,
      times: 1,
    });
    const handle = await startPreview(client, w.taskQueue, { repository, config: repoConfig(repository, { images: { mode: 'requireDigests' } }) });
    const failed = await untilStatus(handle, phaseIs('Failed'), 'Failed');
    expect(failed.failureReason).toBe(`resolveImages failed: deploy/preview/images.lock.yaml is refused: unknown service "ghost" (configured: db, web) (at ${sha(1)})`);
    expect(activitiesOf(repository)).toEqual(['resolveImages']);
    await script.waitFor(() => reports(repository).find((r) => r.phase === 'Failed'), 'the Failed report');
    expect(reports(repository).find((r) => r.phase === 'Failed')).toMatchObject({ headSha: sha(1), reason: failed.failureReason });

    // The author fixes the lock and pushes: the new head deploys its digests.
    script.lock({ db: DIGEST, web: DIGEST });
    await handle.signal(prEventSignal, prEvent('synchronize', { headSha: sha(2) }));
    await untilStatus(handle, (s) => s.phase === 'Ready' && s.deployedHeadSha === sha(2), 'Ready at the fixed head');
    expect(script.callsOf('deployApps').map((c) => (c.input as DeployAppsInput).images)).toEqual([{ db: { digest: DIGEST } }, { web: { digest: DIGEST } }]);
  });

  it('requireDigests refuses a round whose deployed services are not all pinned, before any Application', async () => {
    const repository = repo('require');
    scriptOf(repository).lock({ web: DIGEST });
    const handle = await startPreview(client, w.taskQueue, { repository, config: repoConfig(repository, { images: { mode: 'requireDigests' } }) });
    const failed = await untilStatus(handle, phaseIs('Failed'), 'Failed');
    expect(failed.failureReason).toBe(`images.mode requireDigests: deploy/preview/images.lock.yaml at ${sha(1)} pins no digest for db (tags are refused)`);
    expect(scriptOf(repository).callsOf('deployApps')).toEqual([]);
  });
});

describe('route acceptance', () => {
  it('shows no URL until the Gateway accepts the route, and the reason meanwhile', async () => {
    const repository = repo('route');
    const script = scriptOf(repository).route('web', false, 'Gateway gateway-system/shared has not accepted HTTPRoute web: Accepted=False (NotAllowedByListeners)');
    const handle = await startPreview(client, w.taskQueue, { repository, options: { readinessSlice: '2s', readinessTimeout: '1h' } });
    const waiting = await untilStatus(handle, (s) => s.services.some((svc) => svc.name === 'web' && svc.state === 'Progressing' && svc.message !== undefined), 'web waiting for its route');
    const web = waiting.services.find((s) => s.name === 'web');
    expect(web).toMatchObject({ state: 'Progressing', message: expect.stringContaining('NotAllowedByListeners') as unknown });
    expect(web?.url).toBeUndefined();
    expect(waiting.urls).toEqual([]);
    expect(reports(repository).flatMap((r) => r.urls)).toEqual([]);

    script.route('web', true);
    const ready = await untilStatus(handle, phaseIs('Ready'), 'Ready');
    expect(ready.urls).toEqual([{ service: 'web', url: 'https://web-pr-7.preview.example.test' }]);
    await script.waitFor(() => reports(repository).find((r) => r.phase === 'Ready'), 'the Ready report');
    // Every report that carried the URL came after the route was accepted.
    const withUrl = reports(repository).filter((r) => r.urls.length > 0);
    expect(withUrl.length).toBeGreaterThan(0);
    expect(withUrl.every((r) => r.services.find((s) => s.name === 'web')?.state === 'Ready')).toBe(true);
  });
});
