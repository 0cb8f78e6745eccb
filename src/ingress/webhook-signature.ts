// HMAC-SHA256 of the raw body (`X-Hub-Signature-256: sha256=<hex>`), checked with GitHub's own
// library, which compares in constant time. Every configured secret is tried, so a secret can
// be rotated without dropping deliveries: add the new one, switch GitHub, remove the old one.

import type * as WebhooksMethodsModule from '@octokit/webhooks-methods';
import { importEsm } from './import-esm';

type WebhooksMethods = typeof WebhooksMethodsModule;

let methods: Promise<WebhooksMethods> | undefined;

/** @octokit/webhooks-methods is ESM-only; loaded once, on first use. */
function loadMethods(): Promise<WebhooksMethods> {
  methods ??= importEsm('@octokit/webhooks-methods', () => import('@octokit/webhooks-methods'));
  return methods;
}

/** `sha256=<hex>` of `body`, as GitHub signs it (for `previewctl simulate`). */
export async function signWebhookBody(secret: string, body: string): Promise<string> {
  return (await loadMethods()).sign(secret, body);
}

const SIGNATURE_FORMAT = /^sha256=[0-9a-f]{64}$/;

export type SignatureCheck = (rawBody: string, signature: string | undefined) => Promise<boolean>;

export function createSignatureCheck(secrets: readonly string[]): SignatureCheck {
  if (secrets.length === 0) throw new Error('at least one webhook secret is required');
  return async (rawBody, signature) => {
    // An empty body or a malformed header can never match; the library would throw on them.
    if (!signature || !SIGNATURE_FORMAT.test(signature) || rawBody === '') return false;
    const { verify } = await loadMethods();
    let ok = false;
    // All secrets are checked (no early exit), so timing does not reveal which one matched.
    for (const secret of secrets) ok = (await verify(secret, rawBody, signature)) || ok;
    return ok;
  };
}
