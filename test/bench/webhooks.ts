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

const MAX_DELIVERIES = 5;
let redeliveries = 0;

/** Deliveries sent again after a 503, over the whole run (reported with the figures). */
export function benchRedeliveries(): number {
  return redeliveries;
}

export async function startBenchIngress(config: PreviewdConfig, client: Client): Promise<BenchIngress> {
  const app = await buildIngress({ config, client, logger: createLogger({ level: 'warn' }) });
  const url = `${await app.listen({ host: '127.0.0.1', port: 0 })}${WEBHOOK_PATH}`;
  const repository = config.repositories[0]?.fullName ?? 'missing/repository';
  return {
    async send(action, number, changes = {}) {
      const d = await signedDelivery('pull_request', pullRequestEvent(action, { repository, number }, changes), WEBHOOK_SECRET);
      // A 503 means Temporal did not take the event in time (the dev server under a burst on a
      // loaded machine): redeliver the same delivery, as an operator would from GitHub's UI.
      for (let attempt = 1; ; attempt++) {
        const res = await fetch(url, { method: 'POST', headers: d.headers, body: d.body });
        const body = await res.text();
        if (res.status === 202) return;
        if (res.status !== 503 || attempt === MAX_DELIVERIES) throw new Error(`${action} delivery for #${number} answered ${res.status} (attempt ${attempt}): ${body}`);
        redeliveries += 1;
        await new Promise((r) => setTimeout(r, 2_000 * attempt));
      }
    },
    close: () => app.close(),
  };
}
