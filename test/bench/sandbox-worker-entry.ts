import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { PreviewActivityDoubles } from '../doubles';
import { answerUsageRequests } from './usage-ipc';

// The worker process of `npm run bench:sandbox`: the prebuilt workflow bundle, as production
// loads it (reused V8 context, one sandbox per cached run), with the activity doubles of the
// workflow tests. The figure is what a cached workflow costs the worker, so the activities are
// the doubles on purpose: real ones would add the cluster's time and the clients' memory, which
// this measurement subtracts anyway (it reads the first workflow task and RSS per cached run).

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (the bench driver sets it)`);
  return value;
};

async function main(): Promise<void> {
  answerUsageRequests({ collectFirst: true });
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
  const connection = await NativeConnection.connect({ address: env('SANDBOX_BENCH_ADDRESS') });
  const worker = await Worker.create({
    connection,
    namespace: env('SANDBOX_BENCH_NAMESPACE'),
    taskQueue: env('SANDBOX_BENCH_TASK_QUEUE'),
    workflowBundle: { codePath: env('SANDBOX_BENCH_BUNDLE') },
    activities: new PreviewActivityDoubles().activities(),
    maxCachedWorkflows: Number(env('SANDBOX_BENCH_CACHE')),
  });
  process.once('SIGTERM', () => worker.shutdown());
  await worker.run();
  await connection.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`sandbox bench worker failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
