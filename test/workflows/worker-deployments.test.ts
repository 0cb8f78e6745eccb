import type { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import { nudgeOutdatedPreviews } from '../../activities/janitor';
import { becomeCurrentVersion } from '../../src/worker/worker-versioning';
import { PREVIEW_WORKFLOW_TYPE, prEventSignal, statusQuery } from '../../workflows/contract';
import { devServerClient, uniqueId } from '../harness';
import { bundlePreviewWorkflows, eventually, phaseIs, prEvent, quietTemporalLogs, sha, startPreview, startPreviewWorker, untilStatus, type PreviewHandle, type RunningWorker } from './support';

// Worker Deployments on the dev server (Server 1.32): two builds of the worker poll the same task
// queue as two versions of one deployment, as during a rolling upgrade. Previews are pinned to
// the version that started them and move to the current version at continue-as-new; an idle
// preview moves when woken (workerVersionCheck). The real promotion and wake-up functions the
// worker and the janitor run are used here.

let client: Client;
let connection: Connection;
let native: NativeConnection;
let bundle: WorkflowBundle;
const workers: RunningWorker[] = [];
const silent = { info() {}, error: console.error };

beforeAll(async () => {
  quietTemporalLogs();
  ({ client, connection } = await devServerClient());
  native = await NativeConnection.connect({ address: connection.options.address });
  bundle = await bundlePreviewWorkflows();
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await native?.close();
  await connection?.close();
});

interface RunVersion {
  readonly runId: string;
  readonly buildId?: string;
  readonly behavior?: string;
}

async function versionOf(handle: PreviewHandle): Promise<RunVersion> {
  const described = await client.workflow.getHandle(handle.workflowId).describe();
  const info = described.raw.workflowExecutionInfo?.versioningInfo;
  return { runId: described.runId, buildId: info?.deploymentVersion?.buildId ?? undefined, behavior: temporal.api.enums.v1.VersioningBehavior[info?.behavior ?? 0] };
}

describe('previews under Worker Deployments', () => {
  const deploymentName = uniqueId('previewd');
  const taskQueue = uniqueId('versions');
  const repo = (what: string) => `acme/${uniqueId(what)}`;
  const start = async (buildId: string) => {
    const worker = await startPreviewWorker({ connection: native, taskQueue, workflowBundle: bundle, deployment: { name: deploymentName, buildId } });
    workers.push(worker);
    expect(await becomeCurrentVersion(client, { name: deploymentName, buildId, setCurrent: true }, silent, new AbortController().signal)).toBe(true);
    return worker;
  };

  it('keeps a running preview on its version until continue-as-new, then moves it to the current one', async () => {
    const v1 = await start('v1');
    const pushed = await startPreview(client, taskQueue, { repository: repo('pushed') });
    const idle = await startPreview(client, taskQueue, { repository: repo('idle') });
    await untilStatus(pushed, phaseIs('Ready'), 'pushed preview Ready on v1');
    await untilStatus(idle, phaseIs('Ready'), 'idle preview Ready on v1');
    const pushedOnV1 = await versionOf(pushed);
    const idleOnV1 = await versionOf(idle);
    expect(pushedOnV1).toMatchObject({ buildId: 'v1', behavior: expect.stringMatching(/PINNED/) });
    expect(idleOnV1).toMatchObject({ buildId: 'v1', behavior: expect.stringMatching(/PINNED/) });

    const v2 = await start('v2');
    // A new preview starts on the current version; nothing of it runs on v1.
    const fresh = await startPreview(client, taskQueue, { repository: repo('fresh') });
    await untilStatus(fresh, phaseIs('Ready'), 'new preview Ready on v2');
    expect(await versionOf(fresh)).toMatchObject({ buildId: 'v2' });
    expect(v1.doubles.for(fresh.workflowId).calls).toEqual([]);

    // A push to a preview pinned to v1: v1 runs the whole round, then the run continues as new onto v2.
    await pushed.signal(prEventSignal, prEvent('synchronize', { headSha: sha(2) }));
    const moved = await eventually(async () => {
      const now = await versionOf(pushed);
      return now.runId !== pushedOnV1.runId && now.buildId === 'v2' ? now : undefined;
    }, 'the pushed preview continues as new onto v2');
    expect(moved.behavior).toMatch(/PINNED/);
    const v1Deploys = v1.doubles.for(pushed.workflowId).callsOf('deployApps').map((c) => (c.input as { headSha: string }).headSha);
    expect(v1Deploys).toContain(sha(2));
    expect(v2.doubles.for(pushed.workflowId).callsOf('deployApps')).toEqual([]);
    expect(await client.workflow.getHandle(pushed.workflowId).query(statusQuery)).toMatchObject({ phase: 'Ready', deployedHeadSha: sha(2) });

    // The idle preview saw no task since v2 became current: still the same run on v1.
    expect(await versionOf(idle)).toEqual(idleOnV1);

    // The wake-up the worker sends after promotion (and the janitor on its schedule) moves it without redeploying it.
    const nudge = await eventually(async () => {
      const n = await nudgeOutdatedPreviews({ client, deploymentName, workflowType: PREVIEW_WORKFLOW_TYPE });
      return n.nudged >= 1 ? n : undefined;
    }, 'visibility lists the idle preview as outdated');
    expect(nudge).toMatchObject({ configured: true, currentVersion: `${deploymentName}:v2`, failed: 0 });
    const idleMoved = await eventually(async () => {
      const now = await versionOf(idle);
      return now.runId !== idleOnV1.runId && now.buildId === 'v2' ? now : undefined;
    }, 'the idle preview continues as new onto v2');
    expect(idleMoved.behavior).toMatch(/PINNED/);
    expect((await client.workflow.getHandle(idle.workflowId, idleOnV1.runId).describe()).status.name).toBe('CONTINUED_AS_NEW');
    expect(await client.workflow.getHandle(idle.workflowId).query(statusQuery)).toMatchObject({ phase: 'Ready', deployedHeadSha: sha(1) });
    expect(v2.doubles.for(idle.workflowId).callsOf('deployApps')).toEqual([]);

    // Once nothing is pinned to v1, the wake-up finds nothing to do.
    const after = await eventually(async () => {
      const n = await nudgeOutdatedPreviews({ client, deploymentName, workflowType: PREVIEW_WORKFLOW_TYPE });
      return n.nudged === 0 ? n : undefined;
    }, 'visibility shows every preview on v2');
    expect(after.currentVersion).toBe(`${deploymentName}:v2`);
  }, 120_000);
});
