import type { PullRequestEvent } from '@octokit/webhooks-types';
import type { Client } from '@temporalio/client';
import type { PreviewdConfig } from '../../src/config';
import { buildIngress, WEBHOOK_PATH } from '../../src/ingress';
import { createLogger } from '../../src/observability';
import { pullRequestEvent, signedDelivery, type PullRequestChanges } from '../integration/ingress/github-examples';
import { WEBHOOK_SECRET } from './bench-config';

// The real ingress on a loopback port, and a sender of signed deliveries built from GitHub's
// published pull_request examples (test/integration/ingress/github-examples.ts).

export interface BenchIngress {
  /** Posts a signed delivery of the published example for `action`; resolves when it was answered 202. */
  send(action: PullRequestEvent['action'], number: number, changes?: PullRequestChanges): Promise<void>;
  close(): Promise<void>;
}

export async function startBenchIngress(config: PreviewdConfig, client: Client): Promise<BenchIngress> {
  const app = await buildIngress({ config, client, logger: createLogger({ level: 'warn' }) });
  const url = `${await app.listen({ host: '127.0.0.1', port: 0 })}${WEBHOOK_PATH}`;
  const repository = config.repositories[0]?.fullName ?? 'missing/repository';
  return {
    async send(action, number, changes = {}) {
      const d = await signedDelivery('pull_request', pullRequestEvent(action, { repository, number }, changes), WEBHOOK_SECRET);
      const res = await fetch(url, { method: 'POST', headers: d.headers, body: d.body });
      const body = await res.text();
      if (res.status !== 202) throw new Error(`${action} delivery for #${number} answered ${res.status}: ${body}`);
    },
    close: () => app.close(),
  };
}
