import type { ApplicationSkipReason } from '../../workflows/contract';
import { applicationName, hasPreviewPrefix, MANAGED_BY_LABEL, MANAGED_BY_VALUE, previewKeys, type KubeObject } from '../kubernetes';
import { previewWorkflowId } from '../lifecycle/workflow-id';
import { isOwnerWorkflowId, previewOfNamespace, type ScreenContext } from './namespace-screen';

// The checks a previewd Argo CD Application passes before anyone asks whether its namespace and
// its owner are gone. Everything here reads only the Application, so the same screen runs in
// the scan and again, on a fresh read, right before the deletion.

export type ApplicationScreen =
  | { readonly kind: 'skip'; readonly reason: ApplicationSkipReason; readonly detail: string }
  /** The preview namespace it deploys to, and the workflow that owns that preview. */
  | { readonly kind: 'candidate'; readonly namespace: string; readonly workflowId: string; readonly ageMs: number };

const skip = (reason: ApplicationSkipReason, detail: string): ApplicationScreen => ({ kind: 'skip', reason, detail });

function destinationOf(app: KubeObject): string | undefined {
  return (app.spec as { destination?: { namespace?: unknown } } | undefined)?.destination?.namespace as string | undefined;
}

/** Owner: the workflow id previewd derives from the repository annotation and the PR label (as the ingress does). */
function ownerOf(ctx: ScreenContext, app: Pick<KubeObject, 'metadata'>, prNumber: number): string | ApplicationScreen {
  const repository = app.metadata.annotations?.[previewKeys(ctx.settings).repository];
  if (repository === undefined || repository === '') return skip('no-owner', `no ${previewKeys(ctx.settings).repository} annotation`);
  let workflowId: string;
  try {
    workflowId = previewWorkflowId({ repository, number: prNumber });
  } catch (err) {
    return skip('malformed', (err as Error).message);
  }
  return isOwnerWorkflowId(workflowId) ? workflowId : skip('malformed', `owner ${JSON.stringify(workflowId.slice(0, 300))} is not an id previewd makes`);
}

/**
 * Foreign first: an Application that is not this installation's is never examined further.
 * Then it must be exactly what previewd would have made for the preview its labels name: the
 * destination is that preview's namespace and the name is derived from it and its service.
 */
export function screenApplication(app: KubeObject, ctx: ScreenContext): ApplicationScreen {
  if (app.metadata.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE) return skip('foreign', `no ${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE} label`);
  const destination = destinationOf(app);
  if (typeof destination !== 'string' || !hasPreviewPrefix(ctx.settings.namespacePrefix, destination)) return skip('foreign', `destination namespace ${JSON.stringify(destination)} is not under this installation's prefix`);
  if (app.metadata.deletionTimestamp) return skip('terminating', `being deleted since ${app.metadata.deletionTimestamp}`);
  const created = Date.parse(app.metadata.creationTimestamp ?? '');
  if (Number.isNaN(created)) return skip('malformed', `creationTimestamp ${JSON.stringify(app.metadata.creationTimestamp)} is not a time`);
  const ageMs = ctx.nowMs - created;
  if (ageMs < ctx.retentionMs) return skip('too-young', `created ${app.metadata.creationTimestamp}, ${ageMs} ms ago, retention ${ctx.retentionMs} ms`);
  // The preview the labels name, checked the way a namespace is: its name must be the destination.
  const preview = previewOfNamespace(ctx.settings, { metadata: { name: destination, labels: app.metadata.labels, annotations: app.metadata.annotations } });
  if (typeof preview === 'string') return skip('malformed', preview);
  const service = app.metadata.labels?.[previewKeys(ctx.settings).service];
  if (service === undefined || applicationName(ctx.settings, preview, service) !== app.metadata.name) {
    return skip('malformed', `name ${app.metadata.name} is not the one previewd gives service ${JSON.stringify(service)} of ${destination}`);
  }
  const owner = ownerOf(ctx, app, preview.prNumber);
  return typeof owner === 'string' ? { kind: 'candidate', namespace: destination, workflowId: owner, ageMs } : owner;
}
