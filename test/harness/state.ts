import type { ArgoCdFacts } from '../../src/dev/argocd';

/** What global setup hands to test files (through the environment; workers are forked after setup). */
export interface HarnessState {
  readonly workDir: string;
  readonly temporal: { readonly address: string; readonly namespace: string; readonly uiUrl?: string };
  readonly kube: {
    readonly kubeconfig: string;
    readonly server: string;
    readonly crds: readonly string[];
    /** Admin client certificate files, for raw requests (impersonation). */
    readonly pki: { readonly caCert: string; readonly adminCert: string; readonly adminKey: string };
  };
  readonly helm: string;
  /** Real Argo CD (application controller, repo-server, Redis) syncing into the API server above. */
  readonly argocd: ArgoCdFacts;
  readonly testServer: string;
  /** Temporal CLI path (or 'sdk-download'), for tests that need a dev server with their own dynamic config. */
  readonly temporalCli: string;
  /** The throwaway PostgreSQL cluster, or how to provision it (only database tests fail without it). */
  readonly postgres: PostgresConnection | { readonly unavailable: string };
}

/** A superuser login on the harness's PostgreSQL (loopback only, password auth). */
export interface PostgresConnection {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  readonly version: string;
}

export const STATE_ENV = 'PREVIEWD_TEST_HARNESS';

export function harnessState(): HarnessState {
  const raw = process.env[STATE_ENV];
  if (!raw) {
    throw new Error(
      'previewd test servers are not running: integration tests need the jest global setup (test/harness/global-setup.ts). ' +
        'Run them with `npm test` or `npx jest --selectProjects integration`, after `npm run provision`.',
    );
  }
  return JSON.parse(raw) as HarnessState;
}
