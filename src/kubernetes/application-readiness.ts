import type { KubeObject } from './kube-object';

// Argo CD status lags spec: after previewd applies a new head SHA, the Application still
// reports "Synced/Healthy" for the *previous* source until the controller compares again.
// Ready therefore means Synced + Healthy *for the source in spec*, which status records in
// `status.sync.comparedTo`; colours alone never read as ready.

export type ServiceReadinessState = 'Ready' | 'Progressing' | 'Degraded' | 'Missing';

export interface ServiceReadiness {
  readonly service: string;
  readonly application: string;
  readonly state: ServiceReadinessState;
  readonly syncStatus?: string;
  readonly healthStatus?: string;
  /** Revision Argo CD synced (`status.sync.revision`). */
  readonly revision?: string;
  /** Why it is not ready, in words a PR author can act on. */
  readonly message?: string;
  /** A sync of the desired source failed: waiting longer will not make it ready. */
  readonly terminal: boolean;
}

export interface ExpectedApplication {
  readonly service: string;
  readonly application: string;
  readonly headSha: string;
  /** Label key that carries the head SHA on the Application. */
  readonly headShaLabelKey: string;
  readonly headShaLabel: string;
}

interface AppStatus {
  sync?: { status?: string; revision?: string; comparedTo?: { source?: unknown; destination?: unknown } };
  health?: { status?: string; message?: string };
  operationState?: {
    phase?: string;
    message?: string;
    operation?: { sync?: { revision?: string } };
    syncResult?: { revision?: string; source?: unknown };
  };
  conditions?: { type?: string; message?: string }[];
  resources?: { kind?: string; name?: string; health?: { status?: string; message?: string } }[];
}

interface AppSpec {
  source?: unknown;
  destination?: unknown;
}

/** Drops what Argo CD omits when it echoes a source (empty strings, false, empty lists and maps). */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(normalize).filter((v) => v !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => [k, normalize(v)] as const)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  }
  if (value === null || value === '' || value === false) return undefined;
  return value;
}

export function sameSource(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}

const FULL_SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

function state(expected: ExpectedApplication, value: ServiceReadinessState, status: AppStatus, message?: string, terminal = false): ServiceReadiness {
  return {
    service: expected.service,
    application: expected.application,
    state: value,
    syncStatus: status.sync?.status,
    healthStatus: status.health?.status,
    revision: status.sync?.revision,
    message,
    terminal,
  };
}

function degradedResources(status: AppStatus): string | undefined {
  const bad = (status.resources ?? []).filter((r) => r.health?.status === 'Degraded');
  if (bad.length === 0) return undefined;
  return bad.map((r) => `${r.kind ?? '?'}/${r.name ?? '?'}: ${r.health?.message ?? 'Degraded'}`).join('; ');
}

function failedOperationForDesired(spec: AppSpec, status: AppStatus, comparedToDesired: boolean): boolean {
  const op = status.operationState;
  if (!op || (op.phase !== 'Failed' && op.phase !== 'Error')) return false;
  if (op.syncResult?.source !== undefined) return sameSource(op.syncResult.source, spec.source);
  return comparedToDesired && (op.operation?.sync?.revision ?? '') === (status.sync?.revision ?? '');
}

/** The readiness of one Application for the desired head SHA and source. */
export function applicationReadiness(expected: ExpectedApplication, app: KubeObject | undefined): ServiceReadiness {
  if (!app) return state(expected, 'Missing', {}, `Application ${expected.application} does not exist`);
  const spec = (app.spec ?? {}) as AppSpec;
  const status = (app.status ?? {}) as AppStatus;
  if (app.metadata.deletionTimestamp) return state(expected, 'Degraded', status, `Application ${expected.application} is being deleted`);
  if (app.metadata.labels?.[expected.headShaLabelKey] !== expected.headShaLabel) {
    return state(expected, 'Progressing', status, `Application spec is not at head ${expected.headSha} yet`);
  }
  const comparedTo = status.sync?.comparedTo;
  const comparedToDesired = comparedTo !== undefined && sameSource(comparedTo.source, spec.source) && sameSource(comparedTo.destination, spec.destination);
  if (failedOperationForDesired(spec, status, comparedToDesired)) {
    return state(expected, 'Degraded', status, `sync ${status.operationState?.phase ?? 'Failed'}: ${status.operationState?.message ?? 'no message'}`, true);
  }
  const errors = (status.conditions ?? []).filter((c) => c.type?.endsWith('Error'));
  if (errors.length > 0) return state(expected, 'Degraded', status, errors.map((c) => `${c.type}: ${c.message ?? ''}`).join('; '));
  if (!comparedToDesired) return state(expected, 'Progressing', status, 'Argo CD has not compared the desired source yet (status.sync.comparedTo is stale)');
  const targetRevision = (spec.source as { targetRevision?: string } | undefined)?.targetRevision ?? '';
  if (FULL_SHA.test(targetRevision) && status.sync?.revision !== targetRevision) {
    return state(expected, 'Progressing', status, `synced revision ${status.sync?.revision ?? '<none>'} is not ${targetRevision}`);
  }
  if (status.operationState?.phase === 'Running') return state(expected, 'Progressing', status, status.operationState.message ?? 'sync running');
  const health = status.health?.status;
  if (health === 'Degraded') {
    return state(expected, 'Degraded', status, status.health?.message ?? degradedResources(status) ?? 'health Degraded');
  }
  if (status.sync?.status !== 'Synced') return state(expected, 'Progressing', status, `sync status ${status.sync?.status ?? '<none>'}`);
  if (health !== 'Healthy') return state(expected, 'Progressing', status, `health ${health ?? '<none>'}`);
  return state(expected, 'Ready', status);
}
