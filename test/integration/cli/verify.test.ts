import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { stringify } from 'yaml';
import { runCli, type CliIo } from '../../../src/cli';
import { repositoryConfigSchema } from '../../../src/config';
import { EGRESS_POLICY_NAME, namespaceNameFor } from '../../../src/kubernetes';
import { previewWorkflowId } from '../../../src/lifecycle';
import { ExternalSecretsWriter } from '../../fakes/external-secrets-writer';
import { RouteStatusWriter } from '../../fakes/route-status-writer';
import { devServerClient, harnessState, testKubeConfig, uniqueId } from '../../harness';
import { kubeFixture, kubeOnlyActivities, sha, testClusterInput, testServices, testSettings, uniquePreview } from '../kubernetes/support';
import { prEventSignal, statusQuery, type PreviewLifecycleInput } from '../../../workflows/contract';

// `previewctl verify` against the real servers: a preview opened through the real workflow
// with the real Kubernetes activities on the Temporal dev server, synced by real Argo CD into
// the real API server; the verify command runs in-process with a config file as an operator
// writes it. No gateway controller and no External Secrets Operator run here: their stand-ins
// (test/fakes) write the route status and the target Secret, and the test breaks each in turn.

const dir = mkdtempSync(join(tmpdir(), 'previewctl-verify-'));

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

describe('previewctl verify on the real servers', () => {
  const kube = kubeFixture();
  const settings = testSettings();
  const preview = uniquePreview();
  const namespace = namespaceNameFor(settings, preview);
  const config = repositoryConfigSchema.parse({ fullName: preview.repository, key: preview.repoKey, scope: 'all', services: testServices() });
  const gateway = new RouteStatusWriter(testKubeConfig(), namespace, { name: 'shared', namespace: 'gateway-system', sectionName: 'https' });
  const externalSecrets = new ExternalSecretsWriter(testKubeConfig(), namespace);
  let client: Client;
  let connection: Connection;
  let native: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  let env: Record<string, string>;

  async function previewctl(...argv: string[]): Promise<Run> {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (t) => void out.push(t), err: (t) => void err.push(t) };
    const code = await runCli(argv, { io, env });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  const row = (run: Run, check: string) => run.out.split('\n').find((line) => line.slice(6).startsWith(`${check} `));

  beforeAll(async () => {
    const { temporal, kube: cluster } = harnessState();
    ({ client, connection } = await devServerClient());
    native = await NativeConnection.connect({ address: temporal.address });
    const taskQueue = uniqueId('verify');
    const configFile = join(dir, 'previewd.yaml');
    // What an operator's config holds: the cluster settings previewd deploys with, and the repository.
    writeFileSync(configFile, stringify({ kubernetes: { kubeconfig: cluster.kubeconfig }, cluster: testClusterInput(), repositories: [{ fullName: config.fullName, key: config.key, scope: 'all', services: testServices() }] }));
    env = { PREVIEWD_CONFIG: configFile, PREVIEWD_TEMPORAL_ADDRESS: temporal.address, PREVIEWD_TEMPORAL_NAMESPACE: temporal.namespace };
    const k8s = kube.activities(settings);
    const activities = kubeOnlyActivities(k8s);
    worker = await Worker.create({ connection: native, taskQueue, workflowsPath: require.resolve('../../../workflows'), activities });
    running = worker.run();
    const head = sha('5e');
    const input: PreviewLifecycleInput = {
      pr: { repository: preview.repository, number: preview.prNumber, headSha: head, labels: ['preview'], author: 'dev' },
      config,
      options: { readinessTimeout: '90s', readinessSlice: '5s', retainAfterTeardown: '0s' },
    };
    const handle = await client.workflow.signalWithStart('previewLifecycle', {
      workflowId: previewWorkflowId({ repository: preview.repository, number: preview.prNumber }),
      taskQueue,
      args: [input],
      signal: prEventSignal,
      signalArgs: [{ action: 'opened', headSha: head, labels: ['preview'], sender: 'dev', deliveryId: uniqueId('delivery') }],
    });
    gateway.start(200);
    await eventually(async () => ((await externalSecrets.once()) >= 0 && (await handle.query(statusQuery)).phase === 'Ready' ? true : undefined), 'the preview Ready');
    await externalSecrets.once();
  }, 180_000);

  afterAll(async () => {
    await gateway.stop();
    const handle = client?.workflow.getHandle(previewWorkflowId({ repository: preview.repository, number: preview.prNumber }));
    await handle?.signal(prEventSignal, { action: 'closed', headSha: sha('5e'), labels: ['preview'], sender: 'dev', deliveryId: uniqueId('delivery') }).catch(() => undefined);
    await handle?.result().catch(() => undefined);
    worker?.shutdown();
    await running?.catch(() => undefined);
    await native?.close();
    await connection?.close();
  }, 180_000);

  it('passes every check of a healthy preview, one row each', async () => {
    const run = await previewctl('verify', preview.repository, String(preview.prNumber));
    process.stdout.write(`previewctl verify ${preview.repository} ${preview.prNumber} (exit ${run.code}):\n${run.out}\n${run.err}\n`);
    expect(run).toMatchObject({ code: 0, err: '' });
    const rows = run.out.split('\n').filter((l) => /^(PASS|FAIL) /.test(l));
    expect(rows.map((l) => l.slice(0, 4))).toEqual(rows.map(() => 'PASS'));
    const checks = rows.map((l) => l.slice(6).split(/\s{2,}/)[0]);
    expect(checks).toEqual([
      'workflow',
      `namespace ${namespace}`,
      'baseline NetworkPolicy/previewd-ingress',
      'baseline NetworkPolicy/previewd-egress',
      'baseline ResourceQuota/previewd-quota',
      'baseline LimitRange/previewd-limits',
      'baseline ConfigMap/base-env',
      'applications in scope',
      'synced+healthy api',
      'synced+healthy www',
      'secret ghcr-pull',
      'route www',
      'appproject refuses cluster-scoped kinds',
      'appproject refuses foreign sources',
    ]);
    expect(row(run, 'route www')).toMatch(new RegExp(`www-pr-${preview.prNumber}\\.dev\\.example\\.test .*base environment: www\\.dev\\.example\\.test`));
  });

  it('fails, with the reason, on a route the Gateway rejected, a policy removed and a secret gone; exit 1', async () => {
    gateway.verdicts.set('www', { accept: false, reason: 'NotAllowedByListeners', message: 'no listener admits this namespace' });
    await gateway.once();
    await kube.api.delete({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', namespace, name: EGRESS_POLICY_NAME });
    await kube.api.delete({ apiVersion: 'v1', kind: 'Secret', namespace, name: 'ghcr-pull' });
    const run = await previewctl('verify', preview.repository, String(preview.prNumber), '--json');
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/3 of 14 verification checks failed/);
    const failed = (JSON.parse(run.out) as { check: string; ok: boolean; reason: string }[]).filter((c) => !c.ok);
    expect(failed).toEqual([
      { check: 'baseline NetworkPolicy/previewd-egress', ok: false, reason: 'missing' },
      { check: 'secret ghcr-pull', ok: false, reason: 'ExternalSecret is Ready but Secret ghcr-pull does not exist' },
      { check: 'route www', ok: false, reason: expect.stringMatching(/Accepted=False \(NotAllowedByListeners: no listener admits this namespace\)/) as unknown },
    ]);
  });

  it('fails the workflow and namespace checks for a PR without a preview', async () => {
    const run = await previewctl('verify', preview.repository, String(preview.prNumber + 1));
    expect(run.code).toBe(1);
    expect(row(run, 'workflow')).toMatch(/^FAIL .*no preview of/);
    expect(row(run, `namespace ${namespaceNameFor(settings, { ...preview, prNumber: preview.prNumber + 1 })}`)).toMatch(/^FAIL .*does not exist/);
  });

  it('refuses a repository that is not configured, changing nothing (exit 2)', async () => {
    const run = await previewctl('verify', 'someone/else', '1');
    expect(run).toMatchObject({ code: 2, err: expect.stringMatching(/not a configured repository/) as unknown });
  });
});
