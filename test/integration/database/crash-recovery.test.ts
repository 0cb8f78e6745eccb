import { ApplicationFailure } from '@temporalio/common';
import fc from 'fast-check';
import { DatabaseFailureType, type DatabaseActivities } from '../../../activities/database';
import { isOwnedBy, parseOwnershipMarker, previewDatabaseName, type DatabaseSettings } from '../../../src/database';
import { CuttingProxy, type Cut } from './cutting-proxy';
import { admin, canLogIn, connectWith, databaseFixture, failureOf, runActivity, testSettings, type DatabaseFixture } from './support';

// Crashes and overlapping retries, on the real server. Every statement the activities send
// can be cut (before it runs, or after it ran with the answer lost), the next attempt may
// overlap a stale one, and a teardown may follow a half-done provisioning without retrying it.
// Whatever the order, an interrupted call fails retryably, and once a call of either kind
// completes the server is in exactly that call's state: provisioned (marked role, database it
// owns, PUBLIC locked out, the Secret's password logs in, the bootstrap ran once) or gone.

const SEED = Number(process.env.PREVIEWD_FC_SEED ?? Date.now() % 2 ** 31);
const RUNS = Number(process.env.PREVIEWD_FC_RUNS ?? 15);

const BOOTSTRAP = 'CREATE TABLE IF NOT EXISTS boot (n int); INSERT INTO boot VALUES (1);';

/** The statements of each call, by a piece of their SQL text (and occurrence within the call). */
const STATEMENTS: Readonly<Record<Kind, readonly Omit<Cut, 'when'>[]>> = {
  provision: [
    { match: 'server_version_num', occurrence: 1 },
    { match: 'pg_try_advisory_lock', occurrence: 1 },
    { match: "shobj_description(oid, 'pg_authid')", occurrence: 1 },
    { match: 'BEGIN', occurrence: 1 },
    { match: 'CREATE ROLE', occurrence: 1 },
    { match: 'ALTER ROLE', occurrence: 1 },
    { match: 'COMMENT ON ROLE', occurrence: 1 },
    { match: 'COMMIT', occurrence: 1 },
    { match: 'CREATE DATABASE', occurrence: 1 },
    { match: 'REVOKE CONNECT', occurrence: 1 },
    { match: 'COMMENT ON DATABASE', occurrence: 1 },
    { match: 'COMMIT', occurrence: 2 },
    { match: 'pg_backend_pid', occurrence: 1 },
    { match: 'INSERT INTO boot', occurrence: 1 },
    { match: "current_setting('previewd.bootstrap'", occurrence: 1 },
    { match: 'COMMENT ON DATABASE', occurrence: 2 },
    { match: 'COMMIT', occurrence: 3 },
    { match: 'pg_advisory_unlock', occurrence: 1 },
  ],
  drop: [
    { match: 'pg_try_advisory_lock', occurrence: 1 },
    { match: 'NOLOGIN', occurrence: 1 },
    { match: 'AS sessions', occurrence: 1 },
    { match: 'DROP DATABASE', occurrence: 1 },
    { match: 'pg_terminate_backend(pid) FROM', occurrence: 1 },
    { match: 'DROP OWNED', occurrence: 1 },
    { match: 'DROP ROLE', occurrence: 1 },
    { match: 'pg_advisory_unlock', occurrence: 1 },
  ],
};

type Kind = 'provision' | 'drop';
interface Step {
  readonly kind: Kind;
  /** Cut the first attempt at this statement (no cut: it runs clean). */
  readonly cut: Cut | null;
  /** A stale attempt of the same call overlaps the first one. */
  readonly overlap: boolean;
  /** After a failed first attempt: retry until done (true), or give up as a cancelled step does (false). */
  readonly retry: boolean;
}

const cutArb = (kind: Kind): fc.Arbitrary<Cut> =>
  fc.record({ statement: fc.constantFrom(...STATEMENTS[kind]), when: fc.constantFrom<'before' | 'after'>('before', 'after') }).map(({ statement, when }) => ({ ...statement, when }));

const stepArb: fc.Arbitrary<Step> = fc.constantFrom<Kind>('provision', 'drop').chain((kind) =>
  fc.record({ kind: fc.constant(kind), cut: fc.option(cutArb(kind), { nil: null, freq: 4 }), overlap: fc.boolean(), retry: fc.boolean() }),
);

const isBusy = (err: unknown) => err instanceof ApplicationFailure && err.type === DatabaseFailureType.Busy && !err.nonRetryable;

describe('database activities: crashes and overlapping retries', () => {
  let db: DatabaseFixture;
  let proxy: CuttingProxy;
  beforeAll(async () => {
    db = await databaseFixture();
    proxy = await CuttingProxy.start(admin());
    console.info(`fast-check seed ${SEED}, ${RUNS} runs (repeat with PREVIEWD_FC_SEED=${SEED})`);
  });
  afterAll(async () => {
    await db.close();
    await proxy.close();
  });

  /** The activities, reaching the server through the proxy; the Secret keeps the real address. */
  const throughProxy = (settings: DatabaseSettings): DatabaseActivities => db.activities(settings, { admin: { ...admin(), port: proxy.port } });

  function call(acts: DatabaseActivities, kind: Kind, owner: { namespace: string; workflowId: string }): Promise<unknown> {
    return kind === 'provision' ? runActivity(acts.provisionDatabase, { ...owner, bootstrapSql: BOOTSTRAP }) : runActivity(acts.dropDatabase, owner);
  }

  /** Clean attempts until one completes; only "another attempt holds the lock" may fail one. */
  async function settle(acts: DatabaseActivities, kind: Kind, owner: { namespace: string; workflowId: string }): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await call(acts, kind, owner);
        return;
      } catch (err) {
        if (!isBusy(err) || attempt >= 50) throw err;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  async function expectProvisioned(settings: DatabaseSettings, owner: { namespace: string; workflowId: string }): Promise<void> {
    const name = previewDatabaseName(settings, owner.namespace);
    const [role] = await db.sql<{ comment: string; rolcanlogin: boolean }>("SELECT shobj_description(oid, 'pg_authid') AS comment, rolcanlogin FROM pg_roles WHERE rolname = $1", [name]);
    expect(isOwnedBy(parseOwnershipMarker(role?.comment), owner) && role?.rolcanlogin).toBe(true);
    const [database] = await db.sql("SELECT pg_get_userbyid(datdba) AS owner, has_database_privilege('public', oid, 'CONNECT') AS public_connect FROM pg_database WHERE datname = $1", [name]);
    expect(database).toEqual({ owner: name, public_connect: false });
    const client = await connectWith(await db.readSecret(owner.namespace, settings));
    try {
      expect((await client.query<{ runs: number }>('SELECT count(*)::int AS runs FROM boot')).rows).toEqual([{ runs: 1 }]);
    } finally {
      await client.end();
    }
  }

  async function expectGone(settings: DatabaseSettings, owner: { namespace: string }): Promise<void> {
    const name = previewDatabaseName(settings, owner.namespace);
    expect(await db.sql('SELECT rolname FROM pg_roles WHERE rolname = $1 UNION ALL SELECT datname FROM pg_database WHERE datname = $1', [name])).toEqual([]);
  }

  const expectState = (settings: DatabaseSettings, kind: Kind, owner: { namespace: string; workflowId: string }) =>
    kind === 'provision' ? expectProvisioned(settings, owner) : expectGone(settings, owner);

  it('a retry after a crash between role and database creation finishes the job with the same password', async () => {
    const settings = testSettings();
    const acts = throughProxy(settings);
    const namespace = await db.namespace();
    const owner = { namespace, workflowId: `wf-${namespace}` };
    proxy.arm({ match: 'CREATE DATABASE', when: 'before', occurrence: 1 });
    const failure = await failureOf(runActivity(acts.provisionDatabase, owner));
    expect(proxy.tripped).toBeDefined();
    expect(failure).toMatchObject({ type: DatabaseFailureType.Unavailable, nonRetryable: false });
    const name = previewDatabaseName(settings, namespace);
    expect(await db.sql("SELECT 'role' AS kind FROM pg_roles WHERE rolname = $1 UNION ALL SELECT 'database' FROM pg_database WHERE datname = $1", [name])).toEqual([
      { kind: 'role' },
    ]);
    const secret = await db.readSecret(namespace, settings);
    expect(await canLogIn(secret, 'postgres')).toBe('ok'); // the role already has the Secret's password

    proxy.arm(undefined);
    const retried = await runActivity(acts.provisionDatabase, owner);
    expect(retried).toMatchObject({ created: { role: false, database: true }, passwordGenerated: false });
    expect(await db.readSecret(namespace, settings)).toEqual(secret);
    expect(await canLogIn(secret)).toBe('ok');
  });

  it('converges from any interleaving of cuts, overlaps, retries and teardowns', async () => {
    const settings = testSettings();
    const acts = throughProxy(settings);
    let runs = 0;
    let cutsTripped = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 4 }), fc.constantFrom<Kind>('provision', 'drop'), async (steps, last) => {
        runs += 1;
        const namespace = await db.namespace();
        const owner = { namespace, workflowId: `wf-${namespace}` };
        for (const step of steps) {
          proxy.arm(step.cut ?? undefined);
          const attempts = [call(acts, step.kind, owner), ...(step.overlap ? [call(acts, step.kind, owner)] : [])];
          const outcomes = await Promise.allSettled(attempts);
          const tripped = proxy.tripped;
          proxy.arm(undefined);
          if (tripped) cutsTripped += 1;
          const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
          for (const err of failures) {
            // A cut may only ever fail retryably; without one, only the lock held by an overlapping attempt may.
            expect(err).toBeInstanceOf(ApplicationFailure);
            expect((err as ApplicationFailure).nonRetryable).toBe(false);
            if (!tripped) expect(isBusy(err)).toBe(true);
          }
          const done = failures.length < outcomes.length;
          if (!done && step.retry) await settle(acts, step.kind, owner);
          if (done || step.retry) await expectState(settings, step.kind, owner);
        }
        await settle(acts, last, owner);
        await expectState(settings, last, owner);
        await settle(acts, 'drop', owner);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    console.info(`crash recovery: ${runs} runs, ${cutsTripped} cuts tripped`);
    expect(cutsTripped).toBeGreaterThan(0);
  });
});
