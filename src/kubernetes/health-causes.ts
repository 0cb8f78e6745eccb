import type { KubeObject, ObjectRef } from './objects';

// Why an Application is Degraded. Argo CD 3.x no longer stores per-resource health in the
// Application (status.resources[].health is empty unless the controller runs with
// --persist-resource-health); status.health.message only names the resources that hold the app
// back: "Caused by apps/Deployment:pr-web-7/api, Service:pr-web-7/web and 2 more". The reason
// itself is on those objects, in their conditions, so previewd reads them there.

/** API versions of the groups whose objects previewd can read to explain their health. */
const GROUP_VERSIONS: Readonly<Record<string, string>> = {
  '': 'v1',
  apps: 'apps/v1',
  'networking.k8s.io': 'networking.k8s.io/v1',
  'gateway.networking.k8s.io': 'gateway.networking.k8s.io/v1',
};

const CAUSE = /^(?:(?<group>[a-z0-9.-]+)\/)?(?<kind>[A-Za-z0-9]+):(?:(?<namespace>[a-z0-9-]+)\/)?(?<name>[a-z0-9.-]+)$/;

/**
 * The resources an Application's health message names (Argo CD's formatHealthCauses), as refs
 * in `namespace`. Causes in another namespace, or of a group previewd has no client for, are
 * left out: previewd reads only inside the preview's own namespace.
 */
export function healthCauses(message: string | undefined, namespace: string): ObjectRef[] {
  if (!message?.startsWith('Caused by ')) return [];
  const list = message.slice('Caused by '.length).replace(/ and \d+ more$/, '');
  const refs: ObjectRef[] = [];
  for (const part of list.split(', ')) {
    const m = CAUSE.exec(part.trim())?.groups;
    const apiVersion = m ? GROUP_VERSIONS[m.group ?? ''] : undefined;
    if (!m || apiVersion === undefined || (m.namespace ?? namespace) !== namespace) continue;
    refs.push({ apiVersion, kind: m.kind as string, namespace, name: m.name as string });
  }
  return refs;
}

interface Condition {
  readonly type?: string;
  readonly status?: string;
  readonly reason?: string;
  readonly message?: string;
}

// Conditions that are bad when True; every other condition type is bad when False
// (Available, Progressing, Ready, Accepted, ResolvedRefs, ...).
const BAD_WHEN_TRUE = new Set(['ReplicaFailure', 'Failed', 'Stalled']);

function conditionsOf(obj: KubeObject): Condition[] {
  const status = (obj.status ?? {}) as { conditions?: Condition[]; parents?: { conditions?: Condition[] }[] };
  // Gateway API routes keep their conditions per parent Gateway.
  return [...(status.conditions ?? []), ...(status.parents ?? []).flatMap((p) => p.conditions ?? [])];
}

/** "Deployment/api: ProgressDeadlineExceeded: ReplicaSet "api-5d4" has timed out progressing." or undefined when no condition says. */
export function describeUnhealthy(obj: KubeObject): string | undefined {
  const bad = conditionsOf(obj).filter((c) => (BAD_WHEN_TRUE.has(c.type ?? '') ? c.status === 'True' : c.status === 'False'));
  if (bad.length === 0) return undefined;
  const reasons = bad.map((c) => [c.reason ?? c.type, c.message].filter((v) => v !== undefined && v !== '').join(': '));
  return `${obj.kind}/${obj.metadata.name}: ${[...new Set(reasons)].join('; ')}`;
}
