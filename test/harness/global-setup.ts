import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTemporalDevServer } from '../../src/dev/temporal-dev-server';
import type { ManagedProcess } from '../../src/dev/managed-process';
import { startArgoCd, type ArgoCd } from '../../src/dev/argocd';
import { startControlPlane, type ControlPlane } from '../../src/dev/control-plane';
import { KubeHttp } from '../../src/dev/kube-http';
import { resolveArgoCdBinaries, resolveBinaries, type ArgoCdBinaries, type ServerBinaries } from '../../src/dev/server-binaries';
import { PostgresNotProvisionedError, startPostgres } from './postgres';
import { STATE_ENV, type HarnessState } from './state';
import { PREVIEW_SEARCH_ATTRIBUTES } from '../../workflows/contract';

declare global {
  // Read by global-teardown.ts, which runs in the same process.
  var __previewdHarness: { processes: ManagedProcess[]; stopSdkServer?: () => Promise<void> } | undefined;
}

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const bin = resolveBinaries();
  const argoBin = resolveArgoCdBinaries();
  const workDir = mkdtempSync(join(tmpdir(), 'previewd-test-'));
  const logDir = join(workDir, 'logs');
  globalThis.__previewdHarness = { processes: [] };
  try {
    const [temporal, { kube, argocd }, postgres] = await Promise.all([
      startTemporal(bin.temporalCli, logDir),
      startKubeAndArgoCd(bin, argoBin, workDir, logDir),
      startDatabase(logDir),
    ]);
    const state: HarnessState = {
      workDir,
      temporal: { address: temporal.address, namespace: temporal.namespace, uiUrl: temporal.uiUrl },
      kube: { kubeconfig: kube.kubeconfig, server: kube.server, crds: kube.crds, pki: kube.pki },
      helm: bin.helm,
      argocd: argocd.facts,
      testServer: bin.testServer,
      temporalCli: bin.temporalCli,
      postgres,
    };
    process.env[STATE_ENV] = JSON.stringify(state);
    process.stdout.write(
      `\npreviewd harness: Temporal ${temporal.address} (UI ${temporal.uiUrl ?? 'off'}), kube-apiserver ${bin.kubeVersion} ${kube.server}, ` +
        `${kube.crds.length} CRDs, Argo CD ${argoBin.version} in namespace ${argocd.facts.namespace} (ready in ${argocd.readyInMs} ms), ` +
        `${'version' in postgres ? `PostgreSQL ${postgres.version} 127.0.0.1:${postgres.port}` : 'no PostgreSQL'}, up in ${Date.now() - started} ms; logs in ${logDir}\n`,
    );
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** The control plane, then real Argo CD against it; every started process is registered for teardown. */
async function startKubeAndArgoCd(bin: ServerBinaries, argoBin: ArgoCdBinaries, workDir: string, logDir: string): Promise<{ kube: ControlPlane; argocd: ArgoCd }> {
  const harness = globalThis.__previewdHarness!;
  const kube = await startControlPlane(bin, workDir, { workloadControllers: true });
  harness.processes.push(...kube.processes);
  const argocd = await startArgoCd(argoBin, { workDir, logDir, kubeconfig: kube.kubeconfig, http: new KubeHttp(kube.server, kube.pki), helm: bin.helm });
  harness.processes.push(...argocd.processes);
  return { kube, argocd };
}

/**
 * The provisioned CLI when there is one; otherwise the SDK's own download (online users),
 * with the same search attributes registered.
 */
async function startTemporal(cliPath: string, logDir: string): Promise<{ address: string; namespace: string; uiUrl?: string }> {
  const harness = globalThis.__previewdHarness!;
  if (cliPath !== 'sdk-download') {
    const server = await startTemporalDevServer({ cliPath, logDir, ui: true });
    harness.processes.push(server.process);
    return server;
  }
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({ server: { searchAttributes: [...PREVIEW_SEARCH_ATTRIBUTES] } });
  harness.stopSdkServer = () => env.teardown();
  return { address: env.address, namespace: env.namespace ?? 'default' };
}

/** Not provisioned is not fatal here: only the database tests need it, and they fail with the hint. */
async function startDatabase(logDir: string): Promise<HarnessState['postgres']> {
  try {
    const started = await startPostgres(logDir);
    globalThis.__previewdHarness!.processes.push(started.process);
    return started.connection;
  } catch (err) {
    if (err instanceof PostgresNotProvisionedError) return { unavailable: err.message };
    throw err;
  }
}

export async function stopAll(): Promise<void> {
  const harness = globalThis.__previewdHarness;
  if (!harness) return;
  await Promise.all(harness.processes.map((p) => p.stop()));
  harness.processes = [];
  await harness.stopSdkServer?.();
  harness.stopSdkServer = undefined;
}
