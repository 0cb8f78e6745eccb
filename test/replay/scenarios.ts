import type { Client } from '@temporalio/client';
import type { PreviewActivityDoubles } from '../doubles';
import { previewWorkflowId } from '../../src/lifecycle';
import { phaseIs, prEvent, repoConfig, sha, startPreview, untilStatus, type PreviewHandle, type PreviewSpec } from '../workflows/support';
import { clusterChangedSignal, destroySignal, extendSignal, extendTtlUpdate, prEventSignal, redeploySignal } from '../../workflows/contract';

// Lifecycle scenarios whose real dev-server histories are recorded into test/histories/ by
// scripts/record-histories.ts and replayed against the current workflow code in CI. Each one
// drives a different path through the workflow, so a change that alters the commands any of
// these paths produce fails replay.

export interface ScenarioContext {
  readonly client: Client;
  readonly taskQueue: string;
  readonly doubles: PreviewActivityDoubles;
  /** A repository name unique to this recording. */
  readonly repository: string;
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** Drives one preview to its end and returns its handle (first run). */
  run(ctx: ScenarioContext): Promise<PreviewHandle>;
}

const PR = 7;
const scriptFor = (ctx: ScenarioContext) => ctx.doubles.for(previewWorkflowId({ repository: ctx.repository, number: PR }));
const start = (ctx: ScenarioContext, spec: Omit<PreviewSpec, 'repository'> = {}) => startPreview(ctx.client, ctx.taskQueue, { repository: ctx.repository, number: PR, ...spec });

async function finish(handle: PreviewHandle): Promise<PreviewHandle> {
  await handle.result();
  return handle;
}

/**
 * digestLock: the lock read before provisioning, digests to deployApps; web Ready only once its
 * route is accepted (no URL before); closed. Recorded twice: before and after the readiness
 * waits moved into the workflow, so both command sequences stay guarded.
 */
function digestLockRouteAccepted(name: string, when: string): Scenario {
  return {
    name,
    description: `digestLock → lock read before provisioning, digests to deployApps → web Ready only once its route is accepted → closed (${when})`,
    async run(ctx) {
      const script = scriptFor(ctx).lock({ web: `sha256:${'4'.repeat(64)}` });
      script.route('web', false, 'Gateway gateway-system/shared has not accepted HTTPRoute web: Accepted=False (NotAllowedByListeners)');
      const handle = await start(ctx, { config: repoConfig(ctx.repository, { images: { mode: 'digestLock' } }), options: { readinessSlice: '2s', readinessTimeout: '1h' } });
      await untilStatus(handle, (s) => s.services.some((svc) => svc.name === 'web' && svc.state === 'Progressing' && svc.message !== undefined), 'web waiting for its route');
      script.route('web', true);
      await untilStatus(handle, phaseIs('Ready'), 'Ready');
      await handle.signal(prEventSignal, prEvent('closed'));
      return finish(handle);
    },
  };
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'happy-path',
    description: 'opened → two rollout phases → Ready → closed → Destroyed',
    async run(ctx) {
      const handle = await start(ctx);
      await untilStatus(handle, phaseIs('Ready'), 'Ready');
      await handle.signal(prEventSignal, prEvent('closed'));
      return finish(handle);
    },
  },
  {
    name: 'coalesced-pushes',
    description: 'five pushes while the first deploy is held → one more round for the last SHA → destroy',
    async run(ctx) {
      const script = scriptFor(ctx);
      const gate = script.block('deployApps', 1);
      const handle = await start(ctx);
      await script.waitForCalls('deployApps', 1);
      for (let n = 2; n <= 6; n++) await handle.signal(prEventSignal, prEvent('synchronize', { headSha: sha(n) }));
      gate.open();
      await untilStatus(handle, (s) => s.phase === 'Ready' && s.deployedHeadSha === sha(6), 'Ready at the last SHA');
      await handle.signal(destroySignal, { reason: 'recorded scenario' });
      return finish(handle);
    },
  },
  {
    name: 'destroy-during-deploy',
    description: 'destroy while deployApps runs → the step is cancelled → teardown',
    async run(ctx) {
      const script = scriptFor(ctx);
      script.block('deployApps');
      const handle = await start(ctx);
      await script.waitForCalls('deployApps', 1);
      await handle.signal(destroySignal, { reason: 'recorded scenario' });
      return finish(handle);
    },
  },
  {
    name: 'permanent-failure',
    description: 'deployApps fails non-retryably → Failed (no teardown) → closed → teardown',
    async run(ctx) {
      scriptFor(ctx).fail('deployApps', { type: 'KubernetesForbidden', message: 'forbidden (recorded scenario)' });
      const handle = await start(ctx);
      await untilStatus(handle, phaseIs('Failed'), 'Failed');
      await handle.signal(prEventSignal, prEvent('closed'));
      return finish(handle);
    },
  },
  {
    name: 'ttl-messages',
    description: 'extendTtl update (accepted and rejected), extend signal, TTL label on and off, trigger label removed',
    async run(ctx) {
      const handle = await start(ctx);
      await untilStatus(handle, phaseIs('Ready'), 'Ready');
      await handle.executeUpdate(extendTtlUpdate, { args: [{ by: '2h' }] });
      await handle.executeUpdate(extendTtlUpdate, { args: [{ by: '30d' }] }).catch(() => undefined);
      await handle.signal(extendSignal, { by: '1h' });
      await handle.signal(prEventSignal, prEvent('labeled', { labels: ['preview', 'preview/do-not-expire'] }));
      await handle.signal(prEventSignal, prEvent('unlabeled', { labels: ['preview'] }));
      await untilStatus(handle, (s) => s.eventsHandled === 5, 'five messages handled');
      await handle.signal(prEventSignal, prEvent('unlabeled', { labels: [] }));
      return finish(handle);
    },
  },
  {
    name: 'degraded-then-recovered',
    description: 'readiness deadline → Degraded → push → Ready → destroy',
    async run(ctx) {
      const script = scriptFor(ctx).readiness('never');
      const handle = await start(ctx, { options: { readinessTimeout: '2s', readinessSlice: '1s' } });
      await untilStatus(handle, phaseIs('Degraded'), 'Degraded');
      script.readiness('ready');
      await handle.signal(prEventSignal, prEvent('synchronize', { headSha: sha(2) }));
      await untilStatus(handle, (s) => s.phase === 'Ready' && s.deployedHeadSha === sha(2), 'Ready after the push');
      await handle.signal(destroySignal, { reason: 'recorded scenario' });
      return finish(handle);
    },
  },
  {
    name: 'sync-failed-redeploy',
    description: 'a failed sync → Degraded at once → redeploy signal → Ready → closed',
    async run(ctx) {
      const script = scriptFor(ctx).readiness('sync-failed');
      const handle = await start(ctx);
      await untilStatus(handle, phaseIs('Degraded'), 'Degraded');
      script.readiness('ready');
      await handle.signal(redeploySignal, { reason: 'recorded scenario' });
      await untilStatus(handle, phaseIs('Ready'), 'Ready after redeploy');
      await handle.signal(prEventSignal, prEvent('closed'));
      return finish(handle);
    },
  },
  {
    name: 'sync-failed-redeploy-requests-sync',
    description: 'a failed sync → Degraded → redeploy signal → deployApps asks Argo CD for a sync (real Argo CD never retries a failed commit by itself) → Ready → closed',
    async run(ctx) {
      scriptFor(ctx).readiness('sync-failed-until-requested');
      const handle = await start(ctx);
      await untilStatus(handle, phaseIs('Degraded'), 'Degraded');
      await handle.signal(redeploySignal, { reason: 'recorded scenario' });
      await untilStatus(handle, phaseIs('Ready'), 'Ready after redeploy');
      await handle.signal(prEventSignal, prEvent('closed'));
      return finish(handle);
    },
  },
  {
    name: 'duplicate-delivery',
    description: 'a push, its redelivery (ignored), then closed',
    async run(ctx) {
      const handle = await start(ctx);
      await untilStatus(handle, phaseIs('Ready'), 'Ready');
      const push = prEvent('synchronize', { headSha: sha(2) });
      await handle.signal(prEventSignal, push);
      await handle.signal(prEventSignal, push);
      await untilStatus(handle, (s) => s.phase === 'Ready' && s.deployedHeadSha === sha(2) && s.recentEvents.some((e) => e.kind === 'duplicate'), 'the redeploy and the duplicate');
      await handle.signal(prEventSignal, prEvent('closed'));
      return finish(handle);
    },
  },
  {
    name: 'ttl-expiry',
    description: 'a 3 s TTL runs out → teardown by the timer',
    async run(ctx) {
      const handle = await start(ctx, { config: repoConfig(ctx.repository, { ttl: { default: '3s', extended: '10s', max: '1m' } }) });
      return finish(handle);
    },
  },
  {
    name: 'teardown-failure',
    description: 'teardown fails non-retryably → Failed with the reason, final report',
    async run(ctx) {
      scriptFor(ctx).fail('teardownStep', { type: 'TeardownStuck', message: 'stuck (recorded scenario)' });
      const handle = await start(ctx);
      await untilStatus(handle, phaseIs('Ready'), 'Ready');
      await handle.signal(destroySignal, { reason: 'recorded scenario' });
      return finish(handle);
    },
  },
  {
    name: 'workflow-cancelled',
    description: 'the workflow is cancelled while waiting for readiness → teardown still runs',
    async run(ctx) {
      const script = scriptFor(ctx);
      script.block('checkReady');
      const handle = await start(ctx);
      await script.waitForCalls('checkReady', 1);
      await handle.cancel();
      return finish(handle);
    },
  },
  {
    name: 'workflow-level-waits',
    description: 'readiness checked on durable timers, woken by a clusterChanged signal (twice, as two watching workers would) → Ready → closed → teardown steps through pruning and namespace deletion',
    async run(ctx) {
      const script = scriptFor(ctx).readiness('never').tearDownThrough(['applications', 'namespace']);
      const handle = await start(ctx);
      await script.waitForCalls('checkReady', 2);
      script.readiness('ready');
      for (let i = 0; i < 2; i++) await handle.signal(clusterChangedSignal, { kind: 'Application', name: `argocd/pr-${ctx.repository}-7-db` });
      await untilStatus(handle, phaseIs('Ready'), 'Ready');
      await handle.signal(prEventSignal, prEvent('closed'));
      return finish(handle);
    },
  },
  {
    name: 'with-database',
    description: 'a repository with a database and a bootstrap file: provisioned after the baseline → Ready (create duration) → push → closed → drop after the namespace (delete duration)',
    async run(ctx) {
      scriptFor(ctx).bootstrapSql = 'CREATE TABLE orders (id bigint PRIMARY KEY);';
      const config = repoConfig(ctx.repository, { database: { enabled: true, bootstrap: { path: 'db/schema.sql' } } });
      const handle = await start(ctx, { config });
      await untilStatus(handle, phaseIs('Ready'), 'Ready');
      await handle.signal(prEventSignal, prEvent('synchronize', { headSha: sha(2) }));
      await untilStatus(handle, (s) => s.phase === 'Ready' && s.deployedHeadSha === sha(2), 'Ready at the pushed SHA');
      await handle.signal(prEventSignal, prEvent('closed'));
      return finish(handle);
    },
  },
  {
    name: 'continue-as-new',
    description: 'continue-as-new every 5 messages across three batches of signals, then closed',
    async run(ctx) {
      const handle = await start(ctx, { options: { continueAsNewAfterEvents: 5 } });
      await untilStatus(handle, phaseIs('Ready'), 'Ready');
      for (let batch = 1; batch <= 3; batch++) {
        await Promise.all(Array.from({ length: 5 }, (_, i) => handle.signal(prEventSignal, prEvent('labeled', { labels: ['preview', `b${batch}-${i}`] }))));
        await untilStatus(handle, (s) => s.eventsHandled === 1 + 5 * batch, `batch ${batch}`);
      }
      await handle.signal(prEventSignal, prEvent('synchronize', { headSha: sha(3) }));
      await untilStatus(handle, (s) => s.phase === 'Ready' && s.deployedHeadSha === sha(3), 'Ready at the pushed SHA');
      await handle.signal(prEventSignal, prEvent('closed'));
      return finish(handle);
    },
  },
  digestLockRouteAccepted('digest-lock-route-accepted', 'recorded before the workflow-level waits (readiness in waitReady)'),
  digestLockRouteAccepted('digest-lock-route-accepted-on-timers', 'readiness by checkReady between durable timers'),
];
