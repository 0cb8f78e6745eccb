import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The sample apps, kept as plain files in this repository (see its README). */
export const SAMPLE_APPS_DIR = resolve(__dirname, '../../charts/examples/gitops');

// A fixed identity and no user or system git config: what a developer's ~/.gitconfig says
// (commit signing, hooks, URL rewrites) must not change the repository Argo CD reads.
const GIT_ENV: NodeJS.ProcessEnv = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'previewd tests',
  GIT_AUTHOR_EMAIL: 'tests@previewd.invalid',
  GIT_COMMITTER_NAME: 'previewd tests',
  GIT_COMMITTER_EMAIL: 'tests@previewd.invalid',
};

/**
 * The GitOps repository real Argo CD syncs from: a local git repository that Argo CD reads
 * through a file:// URL, as its own end-to-end tests do, so no git server runs. Tests "push"
 * by committing to it; Argo CD sees the commit at its next refresh.
 */
export class SampleRepo {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly dir: string) {}

  get url(): string {
    return pathToFileURL(this.dir).href;
  }

  /** Copies the sample apps into `dir` and commits them on `main`. */
  static async create(dir: string): Promise<SampleRepo> {
    mkdirSync(dir, { recursive: true });
    cpSync(SAMPLE_APPS_DIR, dir, { recursive: true });
    const repo = new SampleRepo(dir);
    await repo.git('init', '--quiet', '--initial-branch=main');
    await repo.commitAll('Sample apps for previewd tests');
    return repo;
  }

  async head(): Promise<string> {
    return (await this.git('rev-parse', 'HEAD')).trim();
  }

  /**
   * Writes (or, for null, deletes) files relative to the repository root, commits them and
   * returns the new commit SHA. Commits from one process are serialised.
   */
  commit(files: Readonly<Record<string, string | null>>, message: string): Promise<string> {
    return this.serialised(() => {
      for (const [path, content] of Object.entries(files)) {
        const file = this.inside(path);
        if (content === null) rmSync(file, { recursive: true, force: true });
        else {
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, content);
        }
      }
      return this.commitAll(message);
    });
  }

  /** Commits a copy of sample app `app` at `path`, so a test can change it without touching other tests' apps. */
  copyApp(app: string, path: string): Promise<string> {
    return this.serialised(() => {
      cpSync(join(SAMPLE_APPS_DIR, app), this.inside(path), { recursive: true });
      return this.commitAll(`Copy ${app} to ${path}`);
    });
  }

  /** Runs `work` after every earlier change of this process, so commits never interleave. */
  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private inside(path: string): string {
    const file = resolve(this.dir, path);
    if (!file.startsWith(`${this.dir}/`)) throw new Error(`${path} is outside the sample repository`);
    return file;
  }

  private async commitAll(message: string): Promise<string> {
    await this.git('add', '--all');
    await this.git('commit', '--quiet', '--allow-empty', '--message', message);
    return this.head();
  }

  private async git(...args: string[]): Promise<string> {
    const { stdout } = await run('git', args, { cwd: this.dir, env: { ...process.env, ...GIT_ENV } });
    return stdout;
  }
}
