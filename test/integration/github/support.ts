import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createGitHubActivities, type GitHubActivityDeps } from '../../../activities/github';
import { FakeGitHub, type FakeGitHubOptions } from '../../fakes/github-server';
import type { PreviewReport } from '../../../workflows/contract';

export const TOKEN = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
export const SHA_A = '4f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39';
export const SHA_B = '9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a08';
export const ENVIRONMENT = 'preview/shop/pr-42';

// Expected failures are asserted on; the environment's WARN log of each would only be noise.
const quiet = new DefaultLogger('ERROR');

/** Runs an activity in a real activity Context. */
export function runActivity<I, O>(fn: (input: I) => Promise<O>, input: I): Promise<O> {
  return new MockActivityEnvironment(undefined, { logger: quiet }).run(fn, input);
}

export async function startGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  return FakeGitHub.start({ tokens: [TOKEN], ...options });
}

export function activitiesFor(fake: FakeGitHub, extra: Partial<Omit<GitHubActivityDeps, 'auth' | 'octokit'>> = {}, token = TOKEN) {
  return createGitHubActivities({ auth: { type: 'token', token }, apiBaseUrl: fake.url, ...extra });
}

export function report(overrides: Partial<PreviewReport> = {}): PreviewReport {
  return {
    workflowId: 'preview:acme/shop#42',
    preview: { repository: 'acme/shop', repoKey: 'shop', prNumber: 42 },
    headSha: SHA_A,
    phase: 'Ready',
    namespace: 'pr-shop-42',
    urls: [{ service: 'www', url: 'https://www-pr-42.dev.example.com' }],
    services: [
      { name: 'api', state: 'Ready' },
      { name: 'www', state: 'Ready', url: 'https://www-pr-42.dev.example.com' },
    ],
    cost: { currency: 'USD', perHour: 0.1125, projectedToExpiry: 0.45 },
    expiresAt: '2026-11-23T14:00:00.000Z',
    hardCapAt: '2026-11-30T10:00:00.000Z',
    final: false,
    ...overrides,
  };
}

export function deploying(overrides: Partial<PreviewReport> = {}): PreviewReport {
  return report({
    phase: 'Deploying',
    urls: [],
    services: [
      { name: 'api', state: 'Deploying' },
      { name: 'www', state: 'Deploying' },
    ],
    cost: undefined,
    ...overrides,
  });
}

/** method, path, query and body of each recorded request: what the tests assert. */
export function exchanges(fake: FakeGitHub): [string, string, Record<string, string>, unknown][] {
  return fake.requests.map((r) => [r.method, r.path, r.query, r.body]);
}

/** The failure an activity rejects with. */
export async function failureOf(promise: Promise<unknown>): Promise<Error & { type?: string; nonRetryable?: boolean; nextRetryDelay?: unknown }> {
  return promise.then(
    () => {
      throw new Error('expected the activity to fail');
    },
    (err: Error) => err,
  );
}
