import type { Octokit } from '@octokit/rest';
import type { Logger } from '@temporalio/common';
import { splitRepository } from '../../src/github';
import type { OctokitFactory } from './github-context';

// @octokit/rest and @octokit/auth-app are ESM-only: loaded with import() from this CommonJS
// package (Node ≥ 20.19 loads them either way; jest transforms them).

export type GitHubCredentials =
  | { readonly type: 'token'; readonly token: string }
  | {
      readonly type: 'app';
      readonly appId: number | string;
      readonly privateKey: string;
      /** Absent: looked up per repository (`GET /repos/{owner}/{repo}/installation`), for Apps installed on several owners. */
      readonly installationId?: number | string;
    };

export interface OctokitOptions {
  readonly auth: GitHubCredentials;
  /** `https://api.github.com`, or `https://<host>/api/v3` for GitHub Enterprise Server. */
  readonly apiBaseUrl?: string;
  /** Per HTTP request: a hung connection must fail the attempt, not hold it until the activity times out. */
  readonly requestTimeoutMs?: number;
  readonly logger: Logger;
}

export const GITHUB_API_URL = 'https://api.github.com';
const DEFAULT_REQUEST_TIMEOUT_MS = 20_000;

function timeoutFetch(timeoutMs: number): typeof fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return fetch(input, { ...init, signal });
  };
}

/**
 * Octokit's own log into the activity logger: request lines at debug, its errors as warnings
 * (a failed request is classified and reported by the activity; a rate limit is not an error).
 */
function octokitLog(logger: Logger) {
  return {
    debug: (message: string): void => {
      logger.debug(message, { component: 'octokit' });
    },
    info: (message: string): void => {
      logger.debug(message, { component: 'octokit' });
    },
    warn: (message: string): void => {
      logger.warn(message, { component: 'octokit' });
    },
    error: (message: string): void => {
      logger.warn(message, { component: 'octokit' });
    },
  };
}

function baseOptions(options: Omit<OctokitOptions, 'auth'>) {
  return {
    baseUrl: (options.apiBaseUrl ?? GITHUB_API_URL).replace(/\/+$/, ''),
    userAgent: 'previewd',
    log: octokitLog(options.logger),
    request: { fetch: timeoutFetch(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS) },
  };
}

type AppCredentials = Extract<GitHubCredentials, { type: 'app' }>;

/** A client authenticated as the App itself: a JWT signed with its key (auth-app renews it), for `/app/…` endpoints. */
function appLevelClient(base: object, auth: AppCredentials): Promise<Octokit> {
  return Promise.all([import('@octokit/rest'), import('@octokit/auth-app')]).then(
    ([{ Octokit }, { createAppAuth }]) => new Octokit({ ...base, authStrategy: createAppAuth, auth: { appId: auth.appId, privateKey: auth.privateKey } }),
  );
}

/**
 * The App-level client for `/app/…` endpoints (the App's webhook deliveries), or undefined for
 * token credentials: those endpoints take only the App's JWT, which no token can stand in for.
 */
export function createAppOctokit(options: OctokitOptions): (() => Promise<Octokit>) | undefined {
  const auth = options.auth;
  if (auth.type !== 'app') return undefined;
  let client: Promise<Octokit> | undefined;
  return () => (client ??= appLevelClient(baseOptions(options), auth));
}

export function createOctokitFactory(options: OctokitOptions): OctokitFactory {
  const base = baseOptions(options);
  const auth = options.auth;
  if (auth.type === 'token') {
    let client: Promise<Octokit> | undefined;
    return () => (client ??= import('@octokit/rest').then(({ Octokit }) => new Octokit({ ...base, auth: auth.token })));
  }
  return appOctokitFactory(base, auth);
}

function appOctokitFactory(base: object, auth: AppCredentials): OctokitFactory {
  // One client per installation: auth-app caches the installation token inside it and renews it before expiry.
  const byInstallation = new Map<string, Promise<Octokit>>();
  const byRepository = new Map<string, Promise<string>>();
  const modules = Promise.all([import('@octokit/rest'), import('@octokit/auth-app')]);
  const appAuth = { appId: auth.appId, privateKey: auth.privateKey };

  const installationClient = (installationId: string): Promise<Octokit> => {
    let client = byInstallation.get(installationId);
    if (!client) {
      client = modules.then(([{ Octokit }, { createAppAuth }]) => new Octokit({ ...base, authStrategy: createAppAuth, auth: { ...appAuth, installationId } }));
      byInstallation.set(installationId, client);
    }
    return client;
  };

  const appClient = appLevelClient(base, auth);

  const installationOf = (repository: string): Promise<string> => {
    const key = repository.toLowerCase();
    let id = byRepository.get(key);
    if (!id) {
      id = appClient.then(async (app) => String((await app.rest.apps.getRepoInstallation({ ...splitRepository(repository) })).data.id));
      // A failed lookup (not installed yet, outage) must be asked again next time.
      void id.catch(() => byRepository.delete(key));
      byRepository.set(key, id);
    }
    return id;
  };

  return async (repository) => installationClient(auth.installationId !== undefined ? String(auth.installationId) : await installationOf(repository));
}
