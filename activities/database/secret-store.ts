import { decodeSecretData, type DatabaseSecretManifest, type SecretKey } from '../../src/database';
import { withApiFailures } from '../kubernetes/api-failures';

// Where a preview's credentials live: its Secret. The Secret is also the durable memory of the
// password across retries (PostgreSQL keeps only a verifier), which is what lets a retried
// provisioning converge without passing the password through workflow history.

export interface PreviewSecretStore {
  /** The decoded values of the Secret, or undefined when it does not exist. */
  read(namespace: string, name: string): Promise<Partial<Record<SecretKey, string>> | undefined>;
  /** Creates the Secret or brings it to exactly this content. */
  write(secret: DatabaseSecretManifest): Promise<void>;
}

/** The two verbs of previewd's Kubernetes client this needs (activities/kubernetes KubeApi has them). */
export interface SecretApi {
  get(ref: { readonly apiVersion: string; readonly kind: string; readonly name: string; readonly namespace?: string }): Promise<{ readonly metadata: object; readonly data?: unknown } | undefined>;
  /** Server-side apply as previewd's field manager. */
  apply(obj: DatabaseSecretManifest): Promise<unknown>;
}

/**
 * The API server's errors become the Kubernetes failure types (a missing namespace, RBAC or the
 * admission policy refusing the write fail at once; an outage is retried), as for every other
 * object previewd writes.
 */
export function kubeSecretStore(api: SecretApi): PreviewSecretStore {
  return {
    async read(namespace, name) {
      const secret = await withApiFailures(() => api.get({ apiVersion: 'v1', kind: 'Secret', name, namespace }));
      return secret ? decodeSecretData(secret.data) : undefined;
    },
    async write(secret) {
      await withApiFailures(() => api.apply(secret));
    },
  };
}
