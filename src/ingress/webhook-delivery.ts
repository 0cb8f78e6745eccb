import { BadRequestError } from '../errors';

// The headers GitHub sends with every delivery. Read once, validated once.

export interface WebhookDelivery {
  /** `X-GitHub-Event`, e.g. `pull_request`. */
  readonly event: string;
  /** `X-GitHub-Delivery`: the same on a redelivery, which is how the workflow ignores repeats. */
  readonly deliveryId: string;
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

function single(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function signatureHeader(headers: Headers): string | undefined {
  return single(headers, 'x-hub-signature-256');
}

export function readDelivery(headers: Headers): WebhookDelivery {
  const event = single(headers, 'x-github-event');
  const deliveryId = single(headers, 'x-github-delivery');
  if (!event || !/^[a-z_]{1,64}$/.test(event)) throw new BadRequestError('missing or malformed X-GitHub-Event header');
  if (!deliveryId || deliveryId.length > 128) throw new BadRequestError('missing or malformed X-GitHub-Delivery header');
  return { event, deliveryId };
}

/** The JSON body; GitHub must be configured with content type application/json. */
export function parseJsonBody(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new BadRequestError('the body is not JSON (set the webhook content type to application/json)');
  }
}
