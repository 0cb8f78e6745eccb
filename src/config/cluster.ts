import { z } from 'zod';

// Operator configuration of the cluster previews land in. Everything that decides *where* a
// preview goes (namespace prefix, Argo CD project, destination cluster, gateway) lives here and
// never comes from PR data. Seed 000's company names (`ameide.io/*`) become `labelDomain`.
// Also the Kubernetes naming rules themselves, which the builders in src/kubernetes share.

// The DNS-1123 label (RFC 1123) is the one naming rule everything else builds on: namespace,
// service and Application names, hostname labels, subdomains and label-key prefixes.
const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const SUBDOMAIN = `${LABEL}(\\.${LABEL})*`;

/** A DNS-1123 label (lowercase letters, digits, dashes; no dash at either end). Length is checked separately (at most 63). */
export const DNS_LABEL = new RegExp(`^${LABEL}$`);
const DNS_SUBDOMAIN = new RegExp(`^${SUBDOMAIN}$`);

export const dnsLabel = (max: number) => z.string().min(1).max(max).regex(DNS_LABEL, 'must be a DNS-1123 label (lowercase letters, digits, dashes)');

const dnsSubdomain = z.string().min(1).max(253).regex(DNS_SUBDOMAIN, 'must be a DNS-1123 subdomain');

// A qualified label key: optional DNS-subdomain prefix, then a name of at most 63 characters.
const labelKey = z
  .string()
  .max(317)
  .regex(
    new RegExp(`^(${SUBDOMAIN}/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$`),
    'must be a Kubernetes label key',
  );

const labelValue = z
  .string()
  .max(63)
  .regex(/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/, 'must be a Kubernetes label value');

// Same syntax the API server accepts for resource.Quantity; catching it here names the field.
const quantity = z
  .string()
  .regex(/^[+-]?(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?\d+)?$/, 'must be a Kubernetes quantity such as 500m or 1Gi');

const resourceList = z.record(z.string().min(1), quantity);

/** External Secrets' `refreshInterval` is a Go duration. */
const goDuration = z.string().regex(/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/, 'must be a Go duration such as 1h');

/** A Secret or ConfigMap data key. */
const dataKey = z.string().min(1).max(253).regex(/^[-._a-zA-Z0-9]+$/, 'must be a Secret or ConfigMap key');

/**
 * A key in the secret backend behind a ClusterSecretStore. `{namespace}` stands for the preview
 * namespace (operator prefix, repository key and PR number), so a backend can hold one path per
 * preview (seed 000: `secret/data/previews/dev/pr-<num>/*`). Nothing else from the PR goes in.
 */
const remoteKey = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[A-Za-z0-9_./:@{}-]+$/, 'must be a secret backend key (letters, digits and _ . / : @ - only)')
  .refine((key) => key.replaceAll('{namespace}', '').match(/[{}]/) === null, 'the only placeholder a remote key may hold is {namespace}');

const cidr = z.union([z.cidrv4(), z.cidrv6()], { error: 'must be an IPv4 or IPv6 CIDR such as 10.0.0.0/8' });

const gatewayRoutesSchema = z
  .object({
    kind: z.literal('HTTPRoute'),
    /** The base-environment Gateway previews attach to (seed 000: `parentRefs.namespace`). */
    gateway: z
      .object({
        name: dnsSubdomain,
        namespace: dnsLabel(63),
        sectionName: dnsSubdomain.optional(),
      })
      .strict(),
    /** Namespace label the Gateway's `allowedRoutes.namespaces.selector` matches. */
    accessLabel: z
      .object({ key: labelKey.default('gateway-access'), value: labelValue.default('allowed') })
      .strict()
      .default({ key: 'gateway-access', value: 'allowed' }),
  })
  .strict();

const ingressRoutesSchema = z
  .object({
    kind: z.literal('Ingress'),
    className: dnsSubdomain.optional(),
    /** Wildcard certificate secret (`*.<env>.<domain>`) in the preview namespace, if TLS is terminated here. */
    tlsSecretName: dnsSubdomain.optional(),
    /** Namespace of the ingress controller, allowed through the NetworkPolicy. */
    controllerNamespace: dnsLabel(63).optional(),
  })
  .strict();

const noRoutesSchema = z.object({ kind: z.literal('None') }).strict();

/**
 * Where preview pods may open connections (a second NetworkPolicy, `previewd-egress`): their own
 * namespace, the base environment's namespace, the namespaces bindings point at, the cluster DNS,
 * and whatever the operator adds here. Everything else, other previews included, is denied.
 */
const egressSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** The cluster DNS pods (kube-dns / CoreDNS), reached on UDP and TCP 53. */
    dns: z
      .object({
        namespace: dnsLabel(63).default('kube-system'),
        podLabels: z.record(labelKey, labelValue).default({ 'k8s-app': 'kube-dns' }),
      })
      .strict()
      .prefault({}),
    /** More namespaces preview pods may reach (shared infra outside the base environment). */
    namespaces: z.array(dnsLabel(63)).default([]),
    /** Address ranges preview pods may reach (a database outside the cluster, say). */
    cidrs: z.array(z.object({ cidr, except: z.array(cidr).default([]) }).strict()).default([]),
  })
  .strict();

/** A ClusterSecretStore previews may read from, and the only remote keys they may read. */
const secretStoreSchema = z
  .object({
    name: dnsSubdomain,
    allowedRemoteKeys: z.array(remoteKey).min(1),
  })
  .strict();

/** A runtime Secret materialised in every preview namespace by an ExternalSecret. */
const runtimeSecretSchema = z
  .object({
    /** Name of the ExternalSecret and of the Secret it writes. */
    name: dnsSubdomain,
    /** One of `secretStores[].name`. */
    store: dnsSubdomain,
    refreshInterval: goDuration.default('1h'),
    /** Secret type of the target (`Opaque` when absent). */
    type: z.string().min(1).max(253).optional(),
    data: z
      .array(z.object({ secretKey: dataKey, remoteKey, property: z.string().min(1).max(253).optional() }).strict())
      .min(1),
  })
  .strict();

const bindingEntrySchema = z
  .object({
    service: dnsLabel(63),
    /** Defaults to the base environment's namespace. */
    namespace: dnsLabel(63).optional(),
    port: z.number().int().min(1).max(65535).optional(),
  })
  .strict();

/**
 * `spec.syncPolicy.retry` of every preview Application. Argo CD's own default (no policy: 5
 * retries from 5 s, about 2.5 min, all on the same commit) hides a failed sync for minutes and
 * keeps retrying the broken commit after a fix is pushed. Bounded and short, with `refresh`, a
 * failure is final within seconds and a pushed fix is picked up by the next retry.
 */
const syncRetrySchema = z
  .object({
    /** Retries after the first attempt. */
    limit: z.number().int().min(0).max(10).default(2),
    backoff: z
      .object({
        duration: goDuration.default('5s'),
        factor: z.number().int().min(1).max(10).default(2),
        maxDuration: goDuration.default('30s'),
      })
      .strict()
      .prefault({}),
    /** Re-resolve the target revision before each retry, so a pushed fix is what the retry syncs. */
    refresh: z.boolean().default(true),
  })
  .strict();

export const clusterSettingsSchema = z
  .object({
    /** Every preview namespace is `<prefix>-<repo key>-<pr>`; the guard refuses any other name. */
    namespacePrefix: dnsLabel(20).default('pr'),
    /** Domain of previewd's own labels and annotations (`<labelDomain>/pr`, …). */
    labelDomain: dnsSubdomain.default('previewd.io'),
    argocd: z
      .object({
        namespace: dnsLabel(63).default('argocd'),
        project: dnsSubdomain.default('previews'),
        destinationServer: z.url().default('https://kubernetes.default.svc'),
        /** Argo CD sync option `PrunePropagationPolicy=<value>`. */
        prunePropagationPolicy: z.enum(['foreground', 'background', 'orphan']).default('foreground'),
        syncRetry: syncRetrySchema.prefault({}),
        /**
         * The service account Argo CD impersonates when it syncs a preview (the AppProject's
         * `destinationServiceAccounts`, Argo CD's `application.sync.impersonation.enabled`).
         * previewd creates it in every preview namespace, bound to `clusterRole` there only, so a
         * bundle that names another namespace is refused by the API server. Absent: none is made.
         */
        syncServiceAccount: z
          .object({ name: dnsSubdomain.default('previewd-sync'), clusterRole: dnsSubdomain.default('previewd-preview-sync') })
          .strict()
          .optional(),
      })
      .strict()
      .prefault({}),
    baseEnvironment: z
      .object({
        /** Base environment name: the `<env>` in hostnames and the value of `label`. */
        name: dnsLabel(63),
        /** Namespace of the base environment's services (binding ConfigMaps point there). */
        namespace: dnsLabel(63),
        /** Namespace label the base environment's NetworkPolicies select on (seed 000: `ameide.io/environment`). */
        label: labelKey.default('previewd.io/environment'),
      })
      .strict(),
    /** Hostnames are `<svc>-pr-<n>.<baseEnvironment.name>.<domain>`, matching a `*.<env>.<domain>` certificate. */
    domain: dnsSubdomain,
    clusterDomain: dnsSubdomain.default('cluster.local'),
    routes: z.discriminatedUnion('kind', [gatewayRoutesSchema, ingressRoutesSchema, noRoutesSchema]).default({ kind: 'None' }),
    quota: resourceList.default({
      'requests.cpu': '4',
      'requests.memory': '8Gi',
      'limits.cpu': '8',
      'limits.memory': '16Gi',
      'requests.storage': '50Gi',
      persistentvolumeclaims: '10',
      pods: '50',
    }),
    limits: z
      .object({
        defaultRequest: resourceList.default({ cpu: '100m', memory: '128Mi' }),
        default: resourceList.default({ cpu: '500m', memory: '512Mi' }),
        max: resourceList.optional(),
      })
      .strict()
      .default({ defaultRequest: { cpu: '100m', memory: '128Mi' }, default: { cpu: '500m', memory: '512Mi' } }),
    /** Image-pull secret materialised by External Secrets from a ClusterSecretStore (seed 000 `ghcr-pull`). */
    imagePullSecret: z
      .object({
        secretName: dnsSubdomain.default('image-pull'),
        clusterSecretStore: dnsSubdomain,
        remoteKey: z.string().min(1),
        remoteProperty: z.string().min(1).optional(),
        refreshInterval: goDuration.default('1h'),
      })
      .strict()
      .optional(),
    /** Where preview pods may connect to (egress NetworkPolicy). */
    egress: egressSchema.prefault({}),
    /** ClusterSecretStores previews read from, each with the allow-list of remote keys. */
    secretStores: z.array(secretStoreSchema).default([]),
    /** Runtime Secrets (ExternalSecrets) in every preview namespace, from allow-listed keys only. */
    secrets: z.array(runtimeSecretSchema).default([]),
    /** ConfigMaps whose entries are FQDNs of base-environment services, so apps reuse shared infra. */
    bindings: z
      .array(z.object({ name: dnsSubdomain, entries: z.record(z.string().regex(/^[-._a-zA-Z0-9]+$/, 'must be a ConfigMap key'), bindingEntrySchema) }).strict())
      .default([]),
    timeouts: z
      .object({
        /** First wait between two checks of readiness or teardown; later waits double. */
        pollIntervalMs: z.number().int().min(10).default(2_000),
        /**
         * Longest wait between two checks. The workflow waits on durable timers between checks
         * (each one a few history events), and the cluster watch wakes it early on a change,
         * so a long rollout costs tens of checks, not hundreds.
         */
        maxPollIntervalMs: z.number().int().min(10).default(30_000),
        readyMs: z.number().int().min(1).default(15 * 60_000),
        applicationDeletionMs: z.number().int().min(1).default(5 * 60_000),
        namespaceDeletionMs: z.number().int().min(1).default(5 * 60_000),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine(checkSecrets);

type SecretsView = {
  secretStores: readonly { name: string; allowedRemoteKeys: readonly string[] }[];
  secrets: readonly { name: string; store: string; data: readonly { remoteKey: string }[] }[];
  imagePullSecret?: { secretName: string; clusterSecretStore: string; remoteKey: string };
};

/**
 * Every remote key a secret reads must be on its store's allow-list (the pull secret's too, when
 * its store is listed), and secret names must not collide: two ExternalSecrets writing one
 * Secret would fight over it.
 */
function checkSecrets(settings: SecretsView, ctx: z.RefinementCtx): void {
  const stores = new Map(settings.secretStores.map((s) => [s.name, new Set(s.allowedRemoteKeys)]));
  const names = new Set<string>(settings.imagePullSecret ? [settings.imagePullSecret.secretName] : []);
  settings.secrets.forEach((secret, i) => {
    if (names.has(secret.name)) ctx.addIssue({ code: 'custom', path: ['secrets', i, 'name'], message: `secret "${secret.name}" is already defined` });
    names.add(secret.name);
    const allowed = stores.get(secret.store);
    if (!allowed) {
      ctx.addIssue({ code: 'custom', path: ['secrets', i, 'store'], message: `"${secret.store}" is not one of secretStores[].name` });
      return;
    }
    secret.data.forEach((entry, j) => {
      if (!allowed.has(entry.remoteKey)) {
        ctx.addIssue({ code: 'custom', path: ['secrets', i, 'data', j, 'remoteKey'], message: `"${entry.remoteKey}" is not in the allowedRemoteKeys of store "${secret.store}"` });
      }
    });
  });
  const pull = settings.imagePullSecret;
  const pullAllowed = pull && stores.get(pull.clusterSecretStore);
  if (pull && pullAllowed && !pullAllowed.has(pull.remoteKey)) {
    ctx.addIssue({ code: 'custom', path: ['imagePullSecret', 'remoteKey'], message: `"${pull.remoteKey}" is not in the allowedRemoteKeys of store "${pull.clusterSecretStore}"` });
  }
}

export type ClusterSettings = z.infer<typeof clusterSettingsSchema>;
export type ClusterSettingsInput = z.input<typeof clusterSettingsSchema>;

/** Parses operator input; a failure names the offending field (`routes.gateway.namespace: …`). */
export function parseClusterSettings(input: unknown): ClusterSettings {
  const result = clusterSettingsSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new Error(`invalid cluster settings: ${issues.join('; ')}`);
}

export const kubernetesConfigSchema = z
  .object({
    /** kubeconfig file; absent means the usual lookup (`KUBECONFIG`, then `~/.kube/config`, then in-cluster). */
    kubeconfig: z.string().min(1).optional(),
    /** Context to use; absent means the kubeconfig's current context. */
    context: z.string().min(1).optional(),
  })
  .strict();

export type KubernetesConfig = z.infer<typeof kubernetesConfigSchema>;
