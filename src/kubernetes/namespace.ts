import type { EnsureNamespaceInput, PreviewRef } from '../../workflows/contract';
import { DNS_LABEL, type ClusterSettings } from '../config/cluster';
import type { KubeObject } from './objects';

// Names and labels of everything previewd creates, and the preview namespace itself. Names come
// only from operator configuration (prefix, repo key) and the PR number, never from branch
// names or titles (seed 000 "Security constraints"). Invalid input is rejected instead of being
// truncated or rewritten: a rewrite could make two previews share a namespace.

const MAX_PREFIX = 20;
const MAX_KEY = 20;

export class InvalidPreviewNameError extends Error {
  override readonly name = 'InvalidPreviewNameError';
}

export function assertPrNumber(prNumber: unknown): asserts prNumber is number {
  if (typeof prNumber !== 'number' || !Number.isSafeInteger(prNumber) || prNumber < 1) {
    throw new InvalidPreviewNameError(`PR number must be a positive safe integer, got ${String(prNumber)}`);
  }
}

function assertLabelPart(what: string, value: unknown, max: number): asserts value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max || !DNS_LABEL.test(value)) {
    throw new InvalidPreviewNameError(`${what} must be 1-${max} chars of [a-z0-9-], not starting or ending with a dash, got ${JSON.stringify(value)}`);
  }
}

/**
 * `<prefix>-<repo key>-<pr number>`. With the bounds above the longest name is
 * 20 + 1 + 20 + 1 + 16 = 58 characters, inside the 63 of a DNS-1123 label.
 */
export function previewNamespaceName(prefix: string, repoKey: string, prNumber: number): string {
  assertLabelPart('namespace prefix', prefix, MAX_PREFIX);
  assertLabelPart('repository key', repoKey, MAX_KEY);
  assertPrNumber(prNumber);
  return `${prefix}-${repoKey}-${prNumber}`;
}

/** Whether `name` has the preview shape for this prefix (used by the guard, not to derive names). */
export function hasPreviewPrefix(prefix: string, name: string): boolean {
  return name.startsWith(`${prefix}-`) && name.length <= 63 && DNS_LABEL.test(name);
}

// Object names made of several bounded parts can still exceed 63 characters (Application
// names are also label values in Argo CD). Cutting them would make two long names collide, so
// an over-long name keeps a readable head and ends in a hash of the whole.

const MAX = 63;
const HASH_LENGTH = 8;

/** 32-bit FNV-1a, hex: deterministic and dependency-free (builders also run in workflow code). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(HASH_LENGTH, '0');
}

/** `parts` joined by dashes if that fits in `max`; otherwise `<head>-<hash of the full name>`. */
export function boundedName(parts: readonly string[], max = MAX): string {
  const full = parts.join('-');
  if (full.length <= max) return full;
  const head = full.slice(0, max - HASH_LENGTH - 1).replace(/-+$/, '');
  return `${head}-${fnv1a(full)}`;
}

/** previewd's ownership label; the namespace guard refuses anything without it. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'previewd';

/** previewd's own label and annotation keys under the configured domain. */
export function previewKeys(settings: Pick<ClusterSettings, 'labelDomain'>) {
  const d = settings.labelDomain;
  return {
    pr: `${d}/pr`,
    repo: `${d}/repo`,
    service: `${d}/service`,
    headSha: `${d}/head-sha`,
    rolloutPhase: `${d}/rollout-phase`,
    repository: `${d}/repository`,
    workflowId: `${d}/workflow-id`,
    expiresAt: `${d}/expires-at`,
    image: `${d}/image`,
  } as const;
}

/** Labels every previewd object carries: ownership plus the way back to the PR. */
export function ownershipLabels(settings: Pick<ClusterSettings, 'labelDomain'>, preview: PreviewRef): Record<string, string> {
  const keys = previewKeys(settings);
  return { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [keys.repo]: preview.repoKey, [keys.pr]: String(preview.prNumber) };
}

/** A label selector matching every object previewd made for one preview. */
export function previewSelector(settings: Pick<ClusterSettings, 'labelDomain'>, preview: PreviewRef): string {
  return Object.entries(ownershipLabels(settings, preview))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

const GIT_SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * The head SHA as a label value. Label values stop at 63 characters, so a SHA-256 object name
 * (64 hex) is cut to 63; the full value always goes into an annotation as well.
 */
export function headShaLabel(headSha: string): string {
  if (!GIT_SHA.test(headSha)) throw new Error(`head SHA must be a full lowercase git object name, got ${JSON.stringify(headSha)}`);
  return headSha.slice(0, 63);
}

/** What the namespace's annotations record (the expiry is an annotation only: the workflow owns the timer). */
export type NamespaceDetails = Omit<EnsureNamespaceInput, 'preview'>;

export function namespaceNameFor(settings: Pick<ClusterSettings, 'namespacePrefix'>, preview: PreviewRef): string {
  return previewNamespaceName(settings.namespacePrefix, preview.repoKey, preview.prNumber);
}

/**
 * The preview Namespace. It carries the base-environment label so the base environment's
 * NetworkPolicies let it reach shared infra (seed 000 "NetworkPolicy + reuse infra"), and the
 * gateway-access label only when routes attach to a shared Gateway.
 */
export function buildNamespace(settings: ClusterSettings, preview: PreviewRef, details: NamespaceDetails): KubeObject {
  const keys = previewKeys(settings);
  const labels: Record<string, string> = {
    ...ownershipLabels(settings, preview),
    [settings.baseEnvironment.label]: settings.baseEnvironment.name,
  };
  if (settings.routes.kind === 'HTTPRoute') labels[settings.routes.accessLabel.key] = settings.routes.accessLabel.value;
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: namespaceNameFor(settings, preview),
      labels,
      annotations: {
        [keys.repository]: preview.repository,
        [keys.headSha]: details.headSha,
        [keys.workflowId]: details.workflowId,
        [keys.expiresAt]: details.expiresAt,
      },
    },
  };
}

/**
 * Why previewd must not touch this namespace, or undefined when it may. Both the prefix and
 * the ownership label are required: the prefix alone could be a hand-made namespace, and the
 * label alone could be set on a shared one.
 */
export function foreignNamespaceReason(settings: Pick<ClusterSettings, 'namespacePrefix'>, namespace: Pick<KubeObject, 'metadata'>): string | undefined {
  const name = namespace.metadata.name;
  if (!hasPreviewPrefix(settings.namespacePrefix, name)) {
    return `namespace "${name}" does not have the preview prefix "${settings.namespacePrefix}-"`;
  }
  const managedBy = namespace.metadata.labels?.[MANAGED_BY_LABEL];
  if (managedBy !== MANAGED_BY_VALUE) {
    return `namespace "${name}" is not managed by previewd (label ${MANAGED_BY_LABEL}=${managedBy ?? '<absent>'}, expected ${MANAGED_BY_VALUE})`;
  }
  return undefined;
}
