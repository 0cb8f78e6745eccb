// `npm run bench`: measurements, never pass/fail timing. Every figure comes from this one run
// on this machine, and where a baseline makes sense it is measured in the same run and the
// ratio printed beside the absolute number (these machines are noisy). Writes
// docs/benchmarks.md and docs/benchmarks.json. Needs the provisioned servers (`npm run provision`).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { startTemporalDevServer } from '../../src/dev/temporal-dev-server';
import { pinnedVersions, resolveBinaries, type ServerBinaries } from '../harness/binaries';
import { benchCommand, benchSettings, type BenchSettings, type SectionId } from './bench-settings';
import { startBenchStack } from './bench-stack';
import { writeWorkflowBundle } from './bench-config';
import { measureCreateDelete } from './create-delete';
import type { Section } from './figures';
import { measureIngressAccept } from './ingress-accept';
import { currentLoad, machineFacts } from './machine';
import { measureReplay } from './replay';
import { renderTable, writeReport, type BenchReport, type SectionRun } from './report';
import { measureScale } from './scale';
import { measureTimeSkipping } from './time-skipping';
import { measureSandbox } from './workflow-sandbox';
import { judgeTargets, renderTargets } from './targets';
import { guardedInterceptors } from '../../src/temporal-client';

const say = (line: string) => process.stdout.write(`${line}\n`);

class Sections {
  readonly done: SectionRun[] = [];
  constructor(private readonly only: readonly SectionId[]) {}

  wants(...ids: SectionId[]): boolean {
    return ids.some((id) => this.only.includes(id));
  }

  async run(id: SectionId, measure: () => Promise<Section>): Promise<void> {
    if (!this.wants(id)) return;
    say(`bench: ${id} …`);
    const load = currentLoad()[0] ?? 0;
    const started = performance.now();
    const section = await measure();
    const run: SectionRun = { ...section, seconds: (performance.now() - started) / 1000, load: [load, currentLoad()[0] ?? 0] };
    this.done.push(run);
    process.stdout.write(renderTable({ sections: [run] }));
  }
}

async function ingressOnItsOwnServer(bin: ServerBinaries, workDir: string, s: BenchSettings): Promise<Section> {
  const server = await startTemporalDevServer({ cliPath: bin.temporalCli, logDir: join(workDir, 'logs'), ui: false });
  const connection = await Connection.connect({ address: server.address, interceptors: guardedInterceptors() });
  try {
    return await measureIngressAccept(new Client({ connection, namespace: server.namespace }), s.ingressDeliveries, s.ingressConcurrency);
  } finally {
    await connection.close();
    await server.process.stop();
  }
}

async function main(): Promise<void> {
  const settings = benchSettings();
  // The replay and time-skipping workers log every state change at INFO (and warn that the timer worker has no activities); the table is the output.
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
  const sections = new Sections(settings.only);
  const bin = resolveBinaries({ kube: sections.wants('create-delete', 'create-delete-timers', 'scale') });
  const machine = machineFacts();
  const date = new Date().toISOString();
  const started = performance.now();
  const workDir = mkdtempSync(join(tmpdir(), 'previewd-bench-'));
  say(`bench: ${benchCommand()} on ${machine.cores} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, load ${machine.loadAtStart.join(' ')}; logs in ${workDir}/logs`);

  await sections.run('ingress', () => ingressOnItsOwnServer(bin, workDir, settings));
  await sections.run('time-skipping', () => measureTimeSkipping(bin.testServer));
  await sections.run('replay', () => measureReplay(settings.replayRounds));
  await sections.run('sandbox', () => measureSandbox(bin.temporalCli, workDir, settings.sandboxPreviews));
  if (sections.wants('create-delete', 'create-delete-timers', 'scale')) {
    const stack = await startBenchStack(bin, workDir);
    try {
      const workflowBundle = await writeWorkflowBundle(join(stack.logDir, 'workflow-bundle.js'));
      await sections.run('create-delete', () => measureCreateDelete(stack, { samples: settings.latencySamples, clusterWatch: true, workflowBundle }));
      await sections.run('create-delete-timers', () => measureCreateDelete(stack, { samples: settings.latencySamples, clusterWatch: false, workflowBundle }));
      await sections.run('scale', () => measureScale(stack, { previews: settings.previews, ttl: settings.ttl, restSeconds: settings.restSeconds, concurrency: settings.ingressConcurrency, expiring: settings.expiring, workflowBundle, heapSnapshots: settings.heapSnapshots }));
    } finally {
      await stack.stop();
    }
  }

  const report: BenchReport = {
    date,
    command: benchCommand(),
    machine,
    settings: {
      'scale: open previews': settings.previews,
      'scale: previews made to expire': Math.min(settings.expiring, settings.previews),
      'scale: idle TTL after ready_for_review': settings.ttl,
      'scale: sampling at rest': `${settings.restSeconds} s`,
      'create/delete: lifecycles': settings.latencySamples,
      'ingress: deliveries, concurrency': `${settings.ingressDeliveries}, ${settings.ingressConcurrency}`,
      'replay: measured rounds': settings.replayRounds,
      'sandbox: cached previews': settings.sandboxPreviews,
      'Temporal CLI (dev server, in-memory)': pinnedVersions().TEMPORAL_CLI_VERSION ?? 'unknown',
      'time-skipping test server': pinnedVersions().TEST_SERVER_VERSION ?? 'unknown',
      'kube-apiserver, kube-controller-manager': bin.kubeVersion,
    },
    loadAtEnd: currentLoad(),
    totalSeconds: (performance.now() - started) / 1000,
    sections: sections.done,
  };
  const files = { markdown: join(settings.outDir, 'benchmarks.md'), json: join(settings.outDir, 'benchmarks.json') };
  writeReport(report, files);
  process.stdout.write(renderTable(report));
  process.stdout.write(`\n${renderTargets(judgeTargets(report.sections), String).join('\n')}\n`);
  say(`\nbench: done in ${(report.totalSeconds / 60).toFixed(1)} min; wrote ${files.markdown} and ${files.json}`);
}

// Exit explicitly: Temporal's runtime keeps signal handlers (and a failed section may leave a
// watch open), which would otherwise keep the process alive after the report or the error.
main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
