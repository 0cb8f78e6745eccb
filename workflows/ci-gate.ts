import { ActivityFailure, ApplicationFailure, condition, isCancellation, patched, setHandler } from '@temporalio/workflow';
import { formatDuration } from '../src/config/durations';
import { describeGateVerdict, gateVerdict, type GateVerdict, type ResolvedGate } from '../src/lifecycle';
import { checksChangedSignal } from './contract';
import { describeFailure } from './failure-description';
import type { Preview } from './preview';
import { superseded } from './readiness';
import type { StepActivities } from './step-activities';

// Wait for CI (`gate.checks`): before a round provisions or deploys anything for a head, it
// waits in WaitingForChecks until the named checks of that head succeed. Each look is the
// `readChecks` activity (its answer is in history, so a forged or late webhook cannot pass the
// gate); between looks the workflow waits on a durable timer (the bounded poll, `pollInterval`)
// that a `checksChanged` signal from the ingress (check_run, check_suite) ends early. A newer
// head ends the wait at once: the main loop's next round waits for that head instead.

/** Runs with a gate wait for CI; only runs of gated repositories take this patch. */
export const WAIT_FOR_CHECKS_PATCH = 'wait-for-checks';

/** Registered once per run: a wake-up only, the content is never trusted. */
export function registerChecksWake(preview: Preview): void {
  setHandler(
    checksChangedSignal,
    () => {
      preview.checkWakes++;
    },
    { description: "A check_run or check_suite webhook for this PR's head: the CI gate reads the checks again now." },
  );
}

/** True when this round must wait for CI: the repository has a gate (and the run is new enough to know it). */
export function gateDue(preview: Preview): preview is Preview & { readonly gate: ResolvedGate } {
  return preview.gate !== undefined && patched(WAIT_FOR_CHECKS_PATCH);
}

/** One look at the head's checks; undefined when GitHub did not answer (the next look tries again). */
async function look(preview: Preview, acts: StepActivities, headSha: string, gate: ResolvedGate): Promise<GateVerdict | undefined> {
  try {
    return gateVerdict(gate.checks, await acts.readChecks({ preview: preview.ref, headSha, names: gate.checks }));
  } catch (err) {
    if (isCancellation(err) || !(err instanceof ActivityFailure)) throw err;
    const failure = describeFailure(err);
    // What no retry fixes (no GitHub configured, a missing permission) ends the round at once.
    if (err.cause instanceof ApplicationFailure && err.cause.nonRetryable) throw err;
    preview.recordEvent('checks-unread', failure.message);
    return undefined;
  }
}

/**
 * Waits until the gate's checks of `headSha` pass (true: deploy), or ends the round without
 * deploying (false): a check failed, the timeout passed, or a newer head superseded this one.
 */
export async function awaitChecks(preview: Preview & { readonly gate: ResolvedGate }, acts: StepActivities, headSha: string): Promise<boolean> {
  const gate = preview.gate;
  const deadline = Date.now() + gate.timeoutMs;
  for (;;) {
    const seen = preview.checkWakes;
    const verdict = await look(preview, acts, headSha, gate);
    if (verdict?.kind === 'passed') {
      preview.recordEvent('checks-passed', `${gate.checks.join(', ')} at ${headSha.slice(0, 12)}`);
      return true;
    }
    if (verdict?.kind === 'failed') {
      preview.setPhase('Failed', describeGateVerdict(verdict));
      return false;
    }
    if (superseded(preview, headSha)) return false;
    const waitingFor = verdict ?? { kind: 'waiting' as const, waitingFor: gate.checks };
    const left = deadline - Date.now();
    if (left <= 0) {
      preview.setPhase('Failed', `CI checks not passed after ${formatDuration(gate.timeoutMs)}: still ${describeGateVerdict(waitingFor)}; nothing deployed`);
      return false;
    }
    preview.setPhase('WaitingForChecks', describeGateVerdict(waitingFor));
    await condition(() => preview.checkWakes !== seen || superseded(preview, headSha), Math.min(left, gate.pollIntervalMs), { summary: 'Wait for CI checks (or a check webhook)' });
  }
}
