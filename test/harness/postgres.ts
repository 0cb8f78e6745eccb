import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePorts } from '../../src/dev/free-ports';
import { startProcess, waitFor, type ManagedProcess } from '../../src/dev/managed-process';
import { cacheDir, pinnedVersions } from '../../src/dev/server-binaries';
import { harnessState, type PostgresConnection } from './state';

// A throwaway PostgreSQL cluster for the database tests: Debian's server binaries (found by
// scripts/provision-postgres.sh), loopback only, password (SCRAM) auth so that credentials
// are really checked, fsync off. initdb costs about two seconds on this machine, so it runs
// once per cache into a template data directory; each run copies the template (a fraction of
// a second) and starts `postgres` on it under the usual watchdog (src/dev/managed-process).

const PROVISION_HINT = 'run `npm run provision` (or only `bash scripts/provision-postgres.sh`)';
const SUPERUSER = 'postgres';
/** Bump when the initdb options below change, so old templates are not reused. */
const TEMPLATE_LAYOUT = 'v1';

export interface PostgresInstall {
  readonly binDir: string;
  readonly version: string;
  readonly major: number;
  /** Set when running as root: PostgreSQL refuses root, so it runs as this user. */
  readonly runAs: { readonly user: string; readonly uid: number; readonly gid: number } | null;
}

export class PostgresNotProvisionedError extends Error {
  override readonly name = 'PostgresNotProvisionedError';
}

/** Where provisioning found the server binaries; throws how to provision when it has not run. */
export function resolvePostgres(env: NodeJS.ProcessEnv = process.env): PostgresInstall {
  const file = join(cacheDir(env), 'postgres', 'paths.json');
  if (!existsSync(file)) throw new PostgresNotProvisionedError(`PostgreSQL is not provisioned (missing ${file}): ${PROVISION_HINT}`);
  const install = JSON.parse(readFileSync(file, 'utf8')) as PostgresInstall;
  for (const bin of ['initdb', 'postgres']) {
    if (!existsSync(join(install.binDir, bin))) throw new PostgresNotProvisionedError(`${join(install.binDir, bin)} is gone (recorded in ${file}): ${PROVISION_HINT}`);
  }
  const minMajor = Number(env.PREVIEWD_POSTGRES_MIN_MAJOR ?? pinnedVersions().POSTGRES_MIN_MAJOR ?? 13);
  if (install.major < minMajor) throw new PostgresNotProvisionedError(`PostgreSQL ${install.version} is older than ${minMajor}: ${PROVISION_HINT}`);
  return install;
}

/** The command line that runs a server binary as the unprivileged user when we are root. */
function asServerUser(install: PostgresInstall, bin: string, args: readonly string[]): [string, string[]] {
  const path = join(install.binDir, bin);
  if (!install.runAs) return [path, [...args]];
  const { uid, gid } = install.runAs;
  // setpriv execs in place: the watchdog's child is the postmaster itself, so signals reach it.
  return ['setpriv', [`--reuid=${uid}`, `--regid=${gid}`, '--init-groups', '--', path, ...args]];
}

/** A private directory the server user owns (PostgreSQL insists on 0700 for its data). */
function serverOwnedDir(install: PostgresInstall, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (install.runAs) chownSync(dir, install.runAs.uid, install.runAs.gid);
  chmodSync(dir, 0o700);
  return dir;
}

function run(what: string, [command, args]: [string, string[]]): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${what} failed (${command} ${args.join(' ')}): ${result.error?.message ?? ''}${result.stderr}${result.stdout}`);
}

/**
 * initdb into a staging directory the server user can write (the cache may sit under root's
 * home, which it cannot enter), then copy it into the cache. Concurrent runs each build one;
 * the first rename wins and the others use it.
 */
function ensureTemplate(install: PostgresInstall): { dataDir: string; password: string } {
  const dir = join(cacheDir(), 'postgres', `template-${install.major}-${TEMPLATE_LAYOUT}`);
  if (!existsSync(join(dir, 'data', 'PG_VERSION'))) {
    const staging = serverOwnedDir(install, 'previewd-postgres-initdb-');
    try {
      const pwfile = join(staging, 'pwfile');
      writeFileSync(pwfile, randomBytes(24).toString('base64url'), { mode: 0o600 });
      if (install.runAs) chownSync(pwfile, install.runAs.uid, install.runAs.gid);
      const args = ['-D', join(staging, 'data'), '-U', SUPERUSER, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C', '-N'];
      run('initdb', asServerUser(install, 'initdb', args));
      const building = `${dir}.${process.pid}`;
      mkdirSync(building, { recursive: true, mode: 0o700 });
      run('copying the initdb template', ['cp', ['-a', join(staging, 'data'), join(staging, 'pwfile'), building]]);
      try {
        renameSync(building, dir);
      } catch {
        rmSync(building, { recursive: true, force: true });
      }
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return { dataDir: join(dir, 'data'), password: readFileSync(join(dir, 'pwfile'), 'utf8').trim() };
}

export interface StartedPostgres {
  readonly connection: PostgresConnection;
  readonly process: ManagedProcess;
}

/** Starts a fresh cluster from the template on a free loopback port; its stop() also deletes its data. */
export async function startPostgres(logDir: string, install: PostgresInstall = resolvePostgres()): Promise<StartedPostgres> {
  const template = ensureTemplate(install);
  const runDir = serverOwnedDir(install, 'previewd-postgres-');
  const dataDir = join(runDir, 'data');
  run('copying the PostgreSQL template', ['cp', ['-a', template.dataDir, dataDir]]);
  const [port] = (await freePorts(1)) as [number];
  const settings = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: runDir,
    // Throwaway data: durability only costs time here.
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: '200',
  };
  const args = ['-D', dataDir, '-p', String(port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const server = startProcess('postgres', ...asServerUser(install, 'postgres', args), { logDir });
  const stoppable = fastShutdown(server, runDir);
  const connection: PostgresConnection = { host: '127.0.0.1', port, user: SUPERUSER, password: template.password, database: 'postgres', version: install.version };
  try {
    await waitFor('PostgreSQL to accept connections', () => probe(connection), { timeoutMs: 30_000, process: server });
  } catch (err) {
    await stoppable.stop();
    throw err;
  }
  return { connection, process: stoppable };
}

async function probe(connection: PostgresConnection): Promise<true> {
  const client = new Client({ ...connection, connectionTimeoutMillis: 1_000 });
  await client.connect();
  try {
    await client.query('SELECT 1');
    return true;
  } finally {
    await client.end();
  }
}

/**
 * SIGTERM asks the postmaster for a "smart" shutdown, which waits for every client to leave;
 * SIGINT is the "fast" one. The group gets SIGINT first (the watchdog passes it on as TERM,
 * which cannot downgrade a fast shutdown), then the usual stop; the data directory goes with it.
 */
function fastShutdown(server: ManagedProcess, runDir: string): ManagedProcess {
  return {
    ...server,
    async stop() {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        try {
          process.kill(-server.pid, 'SIGINT');
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
        }
      }
      await server.stop();
      rmSync(runDir, { recursive: true, force: true });
    },
  };
}

/** The harness's PostgreSQL superuser login; fails with how to provision when it is missing. */
export function postgresAdmin(): PostgresConnection {
  const { postgres } = harnessState();
  if ('unavailable' in postgres) throw new Error(postgres.unavailable);
  return postgres;
}
