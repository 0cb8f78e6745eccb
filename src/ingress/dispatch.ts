import type { ChecksChanged, DestroyRequest, ExtendRequest, PreviewLifecycleInput, PrEvent, RedeployRequest } from '../../workflows/contract';

// What one delivery asks of Temporal, decided by pure routing code and carried out by
// temporal-dispatcher.ts. Keeping the decision data makes every routing rule a unit test.

export type SignalMessage =
  | { readonly name: 'prEvent'; readonly arg: PrEvent }
  | { readonly name: 'extend'; readonly arg: ExtendRequest }
  | { readonly name: 'destroy'; readonly arg: DestroyRequest }
  | { readonly name: 'redeploy'; readonly arg: RedeployRequest }
  | { readonly name: 'checksChanged'; readonly arg: ChecksChanged };

export type Dispatch =
  /** May create the preview: signal-with-start of `prEvent`. */
  | { readonly kind: 'signal-with-start'; readonly workflowId: string; readonly input: PreviewLifecycleInput; readonly event: PrEvent }
  /** Only for a preview that exists; a missing run is a normal outcome. */
  | { readonly kind: 'signal'; readonly workflowId: string; readonly message: SignalMessage; readonly why?: string }
  | { readonly kind: 'ignore'; readonly reason: string };
