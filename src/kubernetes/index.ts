// Pure builders and readers of the Kubernetes and Argo CD objects previewd manages: plain JSON,
// exactly what is sent. No I/O (activities/kubernetes does that).
export { refOf, describeRef, type ObjectMeta, type KubeObject, type ObjectRef } from './objects';
export {
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  InvalidPreviewNameError,
  assertPrNumber,
  previewNamespaceName,
  hasPreviewPrefix,
  boundedName,
  previewKeys,
  ownershipLabels,
  previewSelector,
  headShaLabel,
  namespaceNameFor,
  buildNamespace,
  foreignNamespaceReason,
  type NamespaceDetails,
} from './namespace';
export {
  NETWORK_POLICY_NAME,
  EGRESS_POLICY_NAME,
  RESOURCE_QUOTA_NAME,
  LIMIT_RANGE_NAME,
  buildNetworkPolicy,
  buildEgressPolicy,
  buildRuntimeSecrets,
  buildSyncIdentity,
  expandRemoteKey,
  buildResourceQuota,
  buildLimitRange,
  buildImagePullSecret,
  buildBindingConfigMaps,
  buildBaseline,
} from './baseline';
export {
  ARGOCD_RESOURCES_FINALIZER,
  SYNC_INITIATOR,
  applicationName,
  buildApplication,
  syncOperationPatch,
  operationPending,
  sameSource,
  applicationReadiness,
  type AppDeployment,
  type ExpectedApplication,
} from './application';
export { healthCauses, describeUnhealthy } from './health-causes';
export { routeAcceptance, httpRouteAcceptance, ingressAcceptance, type RouteAcceptance } from './route-status';
export { routeHostname, routeUrl, buildHttpRoute, buildIngress, routeKind, buildRoutes, type RouteTarget, type ServiceRoute } from './routes';
export { parseQuantity, podRequest, workloadRequests, totalRequests, type WorkloadRequest, type WorkloadTotals } from './workloads';
