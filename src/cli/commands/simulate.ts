import { WEBHOOK_PATH } from '../../ingress/build-ingress';
import { signWebhookBody } from '../../ingress/webhook-signature';
import type { CliContext } from '../cli-context';
import { CliError, EXIT } from '../cli-io';
import { canonicalRepository } from '../pull-request-arg';
import { simulatedDelivery, type SimulateRequest } from '../simulated-delivery';

// `previewctl simulate`: one signed example delivery to an ingress (dev mode's by default),
// signed with the configured webhook secret, exactly as GitHub would send it.

export interface SimulateOptions {
  readonly event: string;
  readonly action: string;
  readonly repo: string;
  readonly pr: string;
  readonly label?: string[];
  readonly sha?: string;
  readonly draft?: boolean;
  readonly body?: string;
  readonly association?: string;
  readonly url?: string;
}

export interface SimulateResult {
  readonly status: number;
  readonly body: string;
  readonly deliveryId: string;
}

function simulateRequest(options: SimulateOptions, repository: string): SimulateRequest {
  if (!['pull_request', 'comment', 'ping'].includes(options.event)) throw new CliError(`cannot simulate "${options.event}" (pull_request, comment or ping)`, EXIT.usage);
  if (!/^\d+$/.test(options.pr)) throw new CliError(`"${options.pr}" is not a pull request number`, EXIT.usage);
  return {
    event: options.event as SimulateRequest['event'],
    action: options.action,
    repository,
    number: Number(options.pr),
    labels: options.label,
    label: options.action === 'labeled' || options.action === 'unlabeled' ? options.label?.[0] : undefined,
    headSha: options.sha,
    draft: options.draft,
    body: options.body,
    association: options.association,
  };
}

export async function simulateCommand(ctx: CliContext, options: SimulateOptions): Promise<SimulateResult> {
  const config = ctx.config();
  const secret = config.github.webhookSecrets[0];
  if (!secret) throw new CliError('no webhook secret configured to sign with (PREVIEWD_GITHUB_WEBHOOK_SECRET or github.webhookSecrets)', EXIT.usage);
  const repository = canonicalRepository(options.repo, config);
  const repoConfig = config.repositories.find((r) => r.fullName === repository);
  const delivery = await simulatedDelivery(simulateRequest(options, repository), repoConfig);
  const url = options.url ?? `http://127.0.0.1:${config.ingress.port}${WEBHOOK_PATH}`;
  const body = JSON.stringify(delivery.payload);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'GitHub-Hookshot/previewctl-simulate',
        'x-github-event': delivery.event,
        'x-github-delivery': delivery.deliveryId,
        'x-hub-signature-256': await signWebhookBody(secret, body),
      },
      body,
    });
  } catch (err) {
    throw new CliError(`cannot reach the ingress at ${url}: ${(err as Error).message} (is \`npm run dev\` running? --url points elsewhere)`, EXIT.failed);
  }
  const text = await response.text();
  const what = delivery.event === 'pull_request' ? `pull_request.${options.action}` : delivery.event;
  ctx.io.out(`${what} for ${repository}#${options.pr} (delivery ${delivery.deliveryId}) → ${response.status} ${text}`);
  if (!response.ok) throw new CliError(`the ingress answered ${response.status}`, EXIT.failed);
  return { status: response.status, body: text, deliveryId: delivery.deliveryId };
}
