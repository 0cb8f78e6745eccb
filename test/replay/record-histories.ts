// Records the lifecycle scenarios of ./scenarios.ts from real dev-server runs into
// test/histories/*.json, for the replay test (test/replay/). Read docs/replay-policy.md first:
// recorded histories are never regenerated to make a change pass.
//
//   scripts/record-histories                # record the scenarios that have no file yet
//   scripts/record-histories happy-path     # just these (if missing)
//   scripts/record-histories --force ...    # overwrite (see the policy first)
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { startTemporalDevServer } from '../../src/dev/temporal-dev-server';
import { resolveBinaries } from '../../src/dev/server-binaries';
import { HISTORIES_DIR, type RecordedHistoryFile } from './history-files';
import { SCENARIOS, type Scenario } from './scenarios';
import { bundlePreviewWorkflows, startPreviewWorker } from '../workflows/support';

const SDK_VERSION = (JSON.parse(readFileSync(resolve(__dirname, '../../node_modules/@temporalio/workflow/package.json'), 'utf8')) as { version: string }).version;

function filesOf(scenario: Scenario): string[] {
  return readdirSync(HISTORIES_DIR).filter((f) => f === `${scenario.name}.json` || f.startsWith(`${scenario.name}.run-`));
}

/** Every run of the workflow, first to last, following continue-as-new. */
async function runHistories(client: Client, workflowId: string) {
  const latest = await client.workflow.getHandle(workflowId).fetchHistory();
  let runId = latest.events?.[0]?.workflowExecutionStartedEventAttributes?.firstExecutionRunId ?? undefined;
  const histories = [];
  while (runId) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    histories.push(history);
    runId = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return histories;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const names = args.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length > 0) throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  const selected = SCENARIOS.filter((s) => names.length === 0 || names.includes(s.name)).filter((s) => {
    if (force || filesOf(s).length === 0) return true;
    console.log(`skip ${s.name}: already recorded (${filesOf(s).join(', ')}); --force overwrites, see docs/replay-policy.md`);
    return false;
  });
  if (selected.length === 0) return;

  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
  const { temporalCli } = resolveBinaries({ kube: false });
  if (temporalCli === 'sdk-download') throw new Error('recording needs the provisioned Temporal CLI: run `npm run provision`');
  const server = await startTemporalDevServer({ cliPath: temporalCli, logDir: mkdtempSync(join(tmpdir(), 'previewd-record-')), ui: false });
  const connection = await Connection.connect({ address: server.address });
  const native = await NativeConnection.connect({ address: server.address });
  const client = new Client({ connection, namespace: server.namespace });
  const worker = await startPreviewWorker({ connection: native, namespace: server.namespace, taskQueue: 'record-histories', workflowBundle: await bundlePreviewWorkflows() });
  try {
    for (const scenario of selected) {
      const started = Date.now();
      const handle = await scenario.run({ client, taskQueue: worker.taskQueue, doubles: worker.doubles, repository: `acme/${scenario.name}` });
      const histories = await runHistories(client, handle.workflowId);
      for (const old of filesOf(scenario)) rmSync(join(HISTORIES_DIR, old));
      histories.forEach((history, i) => {
        const file = histories.length === 1 ? `${scenario.name}.json` : `${scenario.name}.run-${i + 1}.json`;
        const record: RecordedHistoryFile = {
          workflowId: handle.workflowId,
          scenario: scenario.name,
          description: scenario.description,
          run: i + 1,
          recordedAt: new Date().toISOString(),
          sdkVersion: SDK_VERSION,
          history: JSON.parse(historyToJSON(history)),
        };
        writeFileSync(join(HISTORIES_DIR, file), `${JSON.stringify(record, null, 1)}\n`);
      });
      console.log(`recorded ${scenario.name}: ${histories.length} run(s), ${histories.reduce((n, h) => n + (h.events?.length ?? 0), 0)} events, ${Date.now() - started} ms`);
    }
  } finally {
    await worker.stop();
    await native.close();
    await connection.close();
    await server.process.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
