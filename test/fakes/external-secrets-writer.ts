import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';

// Stands in for the External Secrets Operator: no operator (and no secret backend) runs against
// the test API server, so an ExternalSecret would never get its Secret nor a Ready condition.
// This does, for one namespace, what the operator does once it has read the backend: it writes
// the target Secret (placeholder values, one per secretKey), owned by the ExternalSecret, and
// sets Ready=True (SecretSynced). The real operator would also refuse keys its store denies;
// here every key "exists".

const EXTERNAL_SECRETS = { group: 'external-secrets.io', version: 'v1', plural: 'externalsecrets' } as const;
const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

interface ExternalSecret {
  metadata: { name: string; uid: string; generation?: number };
  spec: { target?: { name?: string }; data?: { secretKey: string }[] };
  status?: { conditions?: { type: string; status: string }[] };
}

export class ExternalSecretsWriter {
  private readonly custom: CustomObjectsApi;
  private readonly core: CoreV1Api;

  constructor(
    kc: KubeConfig,
    private readonly namespace: string,
  ) {
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.core = kc.makeApiClient(CoreV1Api);
  }

  /** One pass: every ExternalSecret of the namespace without Ready=True gets its Secret and condition. */
  async once(): Promise<number> {
    const list = (await this.custom.listNamespacedCustomObject({ ...EXTERNAL_SECRETS, namespace: this.namespace })) as { items: ExternalSecret[] };
    let synced = 0;
    for (const es of list.items) {
      if (es.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
      await this.sync(es);
      synced++;
    }
    return synced;
  }

  private async sync(es: ExternalSecret): Promise<void> {
    const name = es.spec.target?.name ?? es.metadata.name;
    const ownerReferences = [{ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', name: es.metadata.name, uid: es.metadata.uid, controller: true }];
    const stringData = Object.fromEntries((es.spec.data ?? []).map((d) => [d.secretKey, 'stand-in value']));
    await this.core.createNamespacedSecret({ namespace: this.namespace, body: { metadata: { name, namespace: this.namespace, ownerReferences }, stringData } }).catch((err: { code?: number }) => {
      if (err.code !== 409) throw err;
    });
    const condition = { type: 'Ready', status: 'True', reason: 'SecretSynced', message: 'secret synced (stand-in)', lastTransitionTime: new Date().toISOString() };
    await this.custom.patchNamespacedCustomObjectStatus(
      { ...EXTERNAL_SECRETS, namespace: this.namespace, name: es.metadata.name, body: { status: { conditions: [condition], syncedResourceVersion: `${es.metadata.generation ?? 1}`, refreshTime: new Date().toISOString() } } },
      MERGE,
    );
  }
}
