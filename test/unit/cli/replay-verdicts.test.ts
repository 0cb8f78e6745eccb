import { ReplayError } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { liveReplayQuery } from '../../../src/cli/commands/replay-live';
import { describeVerdict, verdictOf } from '../../../src/cli/workflow-replay';

// How `previewctl replay` reads the SDK's replay errors and scopes a live query. The
// nondeterminism messages are Core's, as captured from real replays (the real replays run in
// test/integration/cli/previewctl.test.ts, against the dev server).

const core = (reason: string) =>
  'Replay failed with a nondeterminism error. This means that the workflow code as written is not compatible with the history that was fed in. ' +
  `Details: Workflow activation completion failed: Failure { failure: Some(Failure { message: "[TMPRL1100] Nondeterminism error: ${reason}", source: "", stack_trace: "" }), force_cause: NonDeterministicError }`;

describe('verdictOf', () => {
  test('no error: ok', () => {
    expect(verdictOf(undefined)).toEqual({ kind: 'ok' });
  });

  test("a nondeterminism: Core's one-line reason and the event it stopped at", () => {
    const verdict = verdictOf(new DeterminismViolationError(core('Timer machine does not handle this event: HistoryEvent(id: 6, UpsertWorkflowSearchAttributes)')));
    expect(verdict).toEqual({ kind: 'diverged', reason: 'Timer machine does not handle this event: HistoryEvent(id: 6, UpsertWorkflowSearchAttributes)', eventId: 6 });
    expect(describeVerdict(verdict as Exclude<typeof verdict, { kind: 'ok' }>)).toBe('nondeterminism at event 6: Timer machine does not handle this event: HistoryEvent(id: 6, UpsertWorkflowSearchAttributes)');
  });

  test('a nondeterminism Core names no event for: the reason alone', () => {
    const reason = 'Non-deprecated patch marker encountered for change canonical-repository-spelling, but there is no corresponding change command!';
    const verdict = verdictOf(new DeterminismViolationError(core(reason)));
    expect(verdict).toEqual({ kind: 'diverged', reason });
    expect(describeVerdict(verdict as Exclude<typeof verdict, { kind: 'ok' }>)).toBe(`nondeterminism: ${reason}`);
  });

  test('any other replay failure is an error, not a divergence', () => {
    const verdict = verdictOf(new ReplayError('Replay failed due workflow task failure. Details: no such function is exported by the workflow bundle'));
    expect(verdict).toMatchObject({ kind: 'failed' });
    expect(describeVerdict(verdict as Exclude<typeof verdict, { kind: 'ok' }>)).toMatch(/^replay error: Replay failed due workflow task failure/);
  });
});

describe('liveReplayQuery', () => {
  test("previewd's lifecycle runs by default, and within them the query's", () => {
    expect(liveReplayQuery('')).toBe("WorkflowType = 'previewLifecycle'");
    expect(liveReplayQuery("  ExecutionStatus = 'Running' OR PreviewPhase = 'Ready' ")).toBe("WorkflowType = 'previewLifecycle' AND (ExecutionStatus = 'Running' OR PreviewPhase = 'Ready')");
  });

  test('a query that chooses workflow types is sent as written', () => {
    expect(liveReplayQuery("WorkflowType = 'previewJanitor'")).toBe("WorkflowType = 'previewJanitor'");
  });
});
