import type { KubeApi } from '../../../activities/kubernetes';
import type { ChaosRepository } from './chaos-cluster';
import { delay, type PreviewDriver } from './preview-driver';

// One preview from `opened` to its namespace being gone, as a chaos scenario runs it: open,
// wait for Ready, stay open a while, close, wait for the run to finish, then check the cluster.

export interface LifecyclePlan {
  readonly pr: number;
  /** After the scenario's start. */
  readonly startAfterMs: number;
  /** Time spent Ready before the PR is closed. */
  readonly holdMs: number;
}

export interface LifecycleResult {
  readonly pr: number;
  readonly openedAt: number;
  readyAt?: number;
  closedAt?: number;
  endedAt?: number;
  phase?: string;
  reason?: string;
  failureReason?: string;
  /** Checked after the run completed. */
  namespaceGone?: boolean;
  error?: string;
}

export interface LifecycleContext {
  readonly driver: PreviewDriver;
  readonly api: KubeApi;
  readonly repo: ChaosRepository;
  readonly readyTimeoutMs: number;
  readonly outcomeTimeoutMs: number;
  /** Every lifecycle's result as it progresses, for scenarios that act on the others' progress. */
  readonly progress?: Map<number, LifecycleResult>;
}

export async function runLifecycle(ctx: LifecycleContext, plan: LifecyclePlan, startedAt: number): Promise<LifecycleResult> {
  await delay(Math.max(0, startedAt + plan.startAfterMs - Date.now()));
  const namespace = ctx.repo.namespace(plan.pr);
  const result: LifecycleResult = { pr: plan.pr, openedAt: Date.now() };
  ctx.progress?.set(plan.pr, result);
  try {
    await ctx.driver.open(plan.pr);
    await ctx.driver.waitPhase(plan.pr, 'Ready', ctx.readyTimeoutMs);
    result.readyAt = Date.now();
    await delay(plan.holdMs);
    await ctx.driver.close(plan.pr);
    result.closedAt = Date.now();
    const outcome = await ctx.driver.outcome(plan.pr, ctx.outcomeTimeoutMs);
    result.endedAt = Date.now();
    result.phase = outcome.phase;
    result.reason = outcome.reason;
    result.failureReason = outcome.failureReason;
    result.namespaceGone = (await ctx.api.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace })) === undefined;
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
  }
  return result;
}

/** What every lifecycle must have come to; one line per lifecycle that did not. */
export function lifecycleViolations(results: readonly LifecycleResult[]): string[] {
  return results.flatMap((r) => {
    if (r.error) return [`PR ${r.pr}: ${r.error}`];
    const wrong: string[] = [];
    if (r.phase !== 'Destroyed') wrong.push(`ended ${r.phase ?? '?'}${r.failureReason ? ` (${r.failureReason})` : ''}`);
    if (r.reason !== 'pull request closed') wrong.push(`reason "${r.reason ?? '?'}"`);
    if (r.namespaceGone !== true) wrong.push('namespace still present');
    return wrong.length ? [`PR ${r.pr}: ${wrong.join(', ')}`] : [];
  });
}

export interface Spread {
  readonly p50: number;
  readonly max: number;
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: sorted[Math.floor((sorted.length - 1) / 2)] ?? 0, max: sorted.at(-1) ?? 0 };
}

/** Open → Ready and close → run completed (namespace gone), in seconds. */
export function lifecycleFigures(results: readonly LifecycleResult[]): { openToReady: Spread; closeToGone: Spread } {
  const done = results.filter((r) => r.readyAt !== undefined);
  const secs = (ms: number) => Math.round(ms / 100) / 10;
  return {
    openToReady: spread(done.map((r) => secs((r.readyAt ?? 0) - r.openedAt))),
    closeToGone: spread(results.filter((r) => r.endedAt !== undefined && r.closedAt !== undefined).map((r) => secs((r.endedAt ?? 0) - (r.closedAt ?? 0)))),
  };
}

/** One block of figures per scenario, in the test output (the report quotes them). */
export function printFigures(scenario: string, figures: Record<string, unknown>): void {
  const lines = Object.entries(figures).map(([k, v]) => `  ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  process.stdout.write(`\nchaos ${scenario} figures:\n${lines.join('\n')}\n`);
}
