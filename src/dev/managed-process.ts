import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts a server as its own process group behind a tiny shell watchdog that kills it when
 * the owning Node process disappears. Jest can be SIGKILLed or crash in globalSetup; without
 * the watchdog, etcd and kube-apiserver would outlive it and hold ports forever.
 */
export function startProcess(
  name: string,
  command: string,
  args: readonly string[],
  opts: { logDir: string; env?: NodeJS.ProcessEnv; cwd?: string },
): ManagedProcess {
  mkdirSync(opts.logDir, { recursive: true });
  const logFile = join(opts.logDir, `${name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const watchdog =
    '"$@" & child=$!; trap \'kill -TERM $child 2>/dev/null; wait $child; exit\' TERM INT; ' +
    `while kill -0 ${process.pid} 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done; ` +
    'kill -TERM $child 2>/dev/null; wait $child';
  const child = spawn('sh', ['-c', watchdog, name, command, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Both pipes feed one file: neither may end it (whichever closed first would, and the other's
  // last lines would then hit a closed stream). It ends when the child's stdio has closed.
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  child.once('close', () => log.end());
  if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
  const pid = child.pid;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    pid,
    logFile,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalGroup(pid, 'SIGTERM');
      const escalation = setTimeout(() => signalGroup(pid, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(escalation);
    },
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` until it returns a value, failing with the process log tail when it dies or times out. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  opts: { timeoutMs: number; process?: ManagedProcess; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (opts.process && opts.process.child.exitCode !== null) {
      throw new Error(`${opts.process.name} exited with ${opts.process.child.exitCode} while waiting for ${what}; see ${opts.process.logFile}`);
    }
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    await delay(opts.intervalMs ?? 200);
  }
  const hint = opts.process ? `; see ${opts.process.logFile}` : '';
  throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${what}${hint}: ${lastError instanceof Error ? lastError.message : 'no answer'}`);
}
