import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { Client, DatabaseError } from 'pg';
import {
  createDatabaseActivities,
  createDatabaseContext,
  kubeSecretStore,
  type AdminConnection,
  type DatabaseContext,
  type PreviewSecretStore,
} from '../../../activities/database';
import { KubeApi, kubeConfigTransport } from '../../../activities/kubernetes';
import { parseDatabaseSettings, type DatabaseSettings, type DatabaseSettingsInput, type SecretKey } from '../../../src/database';
import { postgresAdmin, testKubeConfig } from '../../harness';

// Shared by the database suites: the harness's PostgreSQL (as superuser), the real API server
// for the credentials Secret, and activities run in a real activity Context. Each suite works
// under its own database prefix, so suites sharing the server never see each other's entries.

export type Secrets = Partial<Record<SecretKey, string>>;

const random = (length: number) =>
  Array.from({ length }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(Math.random() * 36)]).join('');

/** A database prefix no other suite uses (a letter first, at most 16 characters). */
export const uniquePrefix = (): string => `t${random(8)}`;

/** A preview namespace of a repository key no other test uses. */
export const uniqueNamespace = (): string => `pr-k${random(7)}-${1 + Math.floor(Math.random() * 100_000)}`;

export function admin(): AdminConnection {
  const pg = postgresAdmin();
  return { host: pg.host, port: pg.port, user: pg.user, password: pg.password, database: pg.database };
}

/** Settings as an operator would write them; preview workloads reach the server where the harness runs it. */
export function testSettings(over: Partial<DatabaseSettingsInput> = {}): DatabaseSettings {
  const pg = postgresAdmin();
  return parseDatabaseSettings({ prefix: uniquePrefix(), endpoint: { host: pg.host, port: pg.port }, ...over });
}

// Expected failures are asserted on; the environment's WARN log of each would only be noise.
const quiet = new DefaultLogger('ERROR');

/** Runs an activity in a real activity Context. */
export function runActivity<I, O>(fn: (input: I) => Promise<O>, input: I): Promise<O> {
  return new MockActivityEnvironment(undefined, { logger: quiet }).run(fn, input);
}

/** The failure an activity call ends with (fails the test when it succeeds or throws something else). */
export async function failureOf(call: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ApplicationFailure)) throw new Error(`expected an ApplicationFailure, got ${err instanceof Error ? err.stack : String(err)}`);
  return err;
}

export interface DatabaseFixture {
  readonly kube: KubeApi;
  readonly secrets: PreviewSecretStore;
  /** A context (admin pool) on the given settings; closed by `close()`. */
  context(settings: DatabaseSettings, over?: { admin?: AdminConnection; secrets?: PreviewSecretStore }): DatabaseContext;
  activities(settings: DatabaseSettings, over?: { admin?: AdminConnection; secrets?: PreviewSecretStore }): ReturnType<typeof createDatabaseActivities>;
  /** Creates a preview namespace on the API server (the Secret goes there). */
  namespace(): Promise<string>;
  readSecret(namespace: string, settings: DatabaseSettings): Promise<Secrets>;
  /** A superuser session for looking at the catalog. */
  sql<R extends object>(text: string, values?: unknown[]): Promise<R[]>;
  close(): Promise<void>;
}

export async function databaseFixture(): Promise<DatabaseFixture> {
  const kube = new KubeApi(kubeConfigTransport(testKubeConfig()));
  const secrets = kubeSecretStore(kube);
  const contexts: DatabaseContext[] = [];
  const superuser = new Client(admin());
  superuser.on('error', () => {});
  await superuser.connect();
  const context: DatabaseFixture['context'] = (settings, over = {}) => {
    const ctx = createDatabaseContext({ admin: over.admin ?? admin(), settings, secrets: over.secrets ?? secrets, secretLabels: { 'app.kubernetes.io/managed-by': 'previewd' } });
    contexts.push(ctx);
    return ctx;
  };
  return {
    kube,
    secrets,
    context,
    activities: (settings, over) => createDatabaseActivities(context(settings, over)),
    async namespace() {
      const name = uniqueNamespace();
      await kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      return name;
    },
    async readSecret(namespace, settings) {
      const data = await secrets.read(namespace, settings.secretName);
      if (!data) throw new Error(`no Secret ${namespace}/${settings.secretName}`);
      return data;
    },
    async sql<R extends object>(text: string, values: unknown[] = []) {
      return (await superuser.query<R>(text, values)).rows;
    },
    async close() {
      await Promise.all(contexts.map((c) => c.close()));
      await superuser.end();
    },
  };
}

/** Logs in with the Secret's own values (host, port, user, password, database); close it when done. */
export async function connectWith(secret: Secrets, over: { database?: string } = {}): Promise<Client> {
  const client = new Client({
    host: secret.host,
    port: Number(secret.port),
    user: secret.username,
    password: secret.password,
    database: over.database ?? secret.database,
    connectionTimeoutMillis: 5_000,
  });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** The SQLSTATE a login or statement fails with, or 'ok'. */
export async function sqlState(body: () => Promise<unknown>): Promise<string> {
  try {
    await body();
    return 'ok';
  } catch (err) {
    if (err instanceof DatabaseError) return err.code ?? 'unknown';
    throw err;
  }
}

/** Whether a login with these values is accepted (and the session closed again). */
export async function canLogIn(secret: Secrets, database?: string): Promise<string> {
  return sqlState(async () => (await connectWith(secret, { database })).end());
}
