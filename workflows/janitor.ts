import { log, patched, proxyActivities } from '@temporalio/workflow';
import { summarizeApplicationPass, summarizeDatabasePass, summarizeJanitorRun } from '../src/janitor/janitor-summary';
import type {
  ApplicationJanitorSummary,
  DatabaseJanitorSummary,
  FailedApplicationDeletion,
  OrphanApplication,
  OrphanApplicationDeletion,
  FailedDatabaseDrop,
  FailedTeardown,
  JanitorActivities,
  JanitorInput,
  JanitorSummary,
  OrphanCandidate,
  OrphanDatabase,
  OrphanDatabaseDrop,
  OrphanTeardown,
  WorkerVersionNudge,
} from './contract';
import { describeFailure } from './failure-description';

// The orphan janitor, started by a Temporal Schedule (src/worker/janitor-schedule.ts). It finds
// previewd namespaces no workflow owns and tears each one down in its own retried activity, then
// does the same for preview databases on the shared server (after the namespaces, so a database
// whose namespace this run removed is collected in the same run), then for previewd Argo CD
// Applications left behind after their namespace went (a deploy that outlived its timeout). It is a safety net, not the
// lifecycle's teardown: bounded retries suffice, because the next scheduled run tries again, and
// one namespace or database failing never stops the others.

// A few at a time: each teardown mostly waits (Argo CD prune, namespace finalisation).
const CONCURRENCY = 4;

// The scans list and ask Temporal; each heartbeats per candidate.
const SCAN = {
  startToCloseTimeout: '5m',
  heartbeatTimeout: '1m',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 5 },
} as const;
// Both wait out Argo CD's finalizers (the teardown also the namespace deletion), each with a deadline inside.
const DELETE = {
  startToCloseTimeout: '30m',
  heartbeatTimeout: '1m',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 3 },
} as const;
// DROP DATABASE … WITH (FORCE) ends the sessions it finds; it does not wait on them.
const DROP = { startToCloseTimeout: '5m', retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 3 } } as const;

// One proxy per activity, so each carries the summary the Temporal UI shows for it.
const { scanForOrphans } = proxyActivities<JanitorActivities>({ ...SCAN, summary: 'Find preview namespaces whose run is gone' });
const { scanForOrphanDatabases } = proxyActivities<JanitorActivities>({ ...SCAN, summary: 'Find preview databases whose run is gone' });
const { scanForOrphanApplications } = proxyActivities<JanitorActivities>({ ...SCAN, summary: 'Find previewd Applications whose namespace and run are gone' });
const { tearDownOrphan } = proxyActivities<JanitorActivities>({ ...DELETE, summary: 'Tear down an orphaned preview namespace' });
const { deleteOrphanApplication } = proxyActivities<JanitorActivities>({ ...DELETE, summary: 'Delete an orphaned previewd Application' });
const { dropOrphanDatabase } = proxyActivities<JanitorActivities>({ ...DROP, summary: 'Drop an orphaned preview database' });
const { nudgeOutdatedPreviews } = proxyActivities<JanitorActivities>({ ...SCAN, summary: 'Wake previews pinned to an older worker version' });

/** The database pass first ran in runs after this patch; a run in flight across the upgrade replays without it. */
export const JANITOR_DATABASES_PATCH = 'janitor-databases';

/** The pass over leftover Applications (issue 14) likewise. */
export const JANITOR_APPLICATIONS_PATCH = 'janitor-applications';

/** The worker-version pass (Worker Deployments, issue 18) likewise. */
export const JANITOR_WORKER_VERSIONS_PATCH = 'janitor-worker-versions';

async function inBatches<T, R>(items: readonly T[], each: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += CONCURRENCY) out.push(...(await Promise.all(items.slice(i, i + CONCURRENCY).map(each))));
  return out;
}

/** One item's failure is logged and reported in the summary; it never stops the others. */
async function reported<T>(what: string, fields: Record<string, string>, call: () => Promise<T>): Promise<T | { readonly error: string }> {
  try {
    return await call();
  } catch (err) {
    const failure = describeFailure(err);
    log.warn(`janitor: ${what} failed`, { ...fields, error: failure.message, type: failure.type });
    return { error: failure.type ? `${failure.type}: ${failure.message}` : failure.message };
  }
}

async function dropDatabase(orphan: OrphanDatabase, retentionMs: number): Promise<OrphanDatabaseDrop | FailedDatabaseDrop> {
  const outcome = await reported('database drop', { database: orphan.name }, () => dropOrphanDatabase({ orphan, retentionMs }));
  return 'error' in outcome ? { name: orphan.name, error: outcome.error } : outcome;
}

async function databasePass(input: JanitorInput): Promise<DatabaseJanitorSummary | undefined> {
  const scan = await scanForOrphanDatabases({ retentionMs: input.retentionMs });
  if (!scan.configured) return undefined;
  const drops = input.dryRun ? [] : await inBatches(scan.orphans, (orphan) => dropDatabase(orphan, input.retentionMs));
  return summarizeDatabasePass(input, scan, drops);
}

async function deleteApplication(orphan: OrphanApplication, retentionMs: number): Promise<OrphanApplicationDeletion | FailedApplicationDeletion> {
  const outcome = await reported('application deletion', { application: orphan.name }, () => deleteOrphanApplication({ orphan, retentionMs }));
  return 'error' in outcome ? { name: orphan.name, error: outcome.error } : outcome;
}

/** After the namespaces: an Application whose namespace this run removed is not a leftover (teardown deleted it first). */
async function applicationPass(input: JanitorInput): Promise<ApplicationJanitorSummary> {
  const scan = await scanForOrphanApplications({ retentionMs: input.retentionMs });
  const deletions = input.dryRun ? [] : await inBatches(scan.orphans, (orphan) => deleteApplication(orphan, input.retentionMs));
  return summarizeApplicationPass(input, scan, deletions);
}

async function tearDown(orphan: OrphanCandidate, retentionMs: number): Promise<OrphanTeardown | FailedTeardown> {
  const outcome = await reported('teardown', { namespace: orphan.namespace }, () => tearDownOrphan({ orphan, retentionMs }));
  return 'error' in outcome ? { namespace: orphan.namespace, error: outcome.error } : outcome;
}

/** First, because it is quick and the passes below may wait long on teardowns. A failure is logged; the next run tries again. */
async function workerVersionPass(): Promise<WorkerVersionNudge | undefined> {
  const outcome = await reported('worker-version pass', {}, () => nudgeOutdatedPreviews());
  return 'error' in outcome ? undefined : outcome;
}

export async function previewJanitor(input: JanitorInput): Promise<JanitorSummary> {
  const workerVersions = patched(JANITOR_WORKER_VERSIONS_PATCH) ? await workerVersionPass() : undefined;
  const scan = await scanForOrphans({ retentionMs: input.retentionMs });
  const teardowns = input.dryRun ? [] : await inBatches(scan.orphans, (orphan) => tearDown(orphan, input.retentionMs));
  const databases = patched(JANITOR_DATABASES_PATCH) ? await databasePass(input) : undefined;
  const applications = patched(JANITOR_APPLICATIONS_PATCH) ? await applicationPass(input) : undefined;
  const summary = { ...summarizeJanitorRun(input, scan, teardowns, databases, applications), ...(workerVersions && { workerVersions }) };
  log.info('janitor: run finished', {
    dryRun: summary.dryRun,
    found: summary.found,
    deleted: summary.deleted.length,
    wouldDelete: summary.wouldDelete.length,
    skipped: summary.skippedByReason,
    failed: summary.failed.length,
    ...(summary.applications && {
      applications: { found: summary.applications.found, deleted: summary.applications.deleted.length, wouldDelete: summary.applications.wouldDelete.length, failed: summary.applications.failed.length },
    }),
    ...(workerVersions?.configured && { workerVersions: { current: workerVersions.currentVersion, nudged: workerVersions.nudged, failed: workerVersions.failed } }),
    ...(summary.databases && {
      databases: { found: summary.databases.found, dropped: summary.databases.dropped.length, wouldDrop: summary.databases.wouldDrop.length, failed: summary.databases.failed.length },
    }),
  });
  return summary;
}
