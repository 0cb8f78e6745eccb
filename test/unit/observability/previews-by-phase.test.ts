import { PreviewPhaseTracker, previewPhaseQuery, type CountWorkflows } from '../../../src/observability';
import { previewLifecycle } from '../../../workflows';
import { PREVIEW_PHASES, PREVIEW_WORKFLOW_TYPE as LIFECYCLE_WORKFLOW_TYPE } from '../../../workflows/contract';

// The counting function stands in for visibility here; the integration test
// (test/integration/observability) counts on the real dev server.

describe('visibility query per phase', () => {
  it('counts running lifecycle runs of one task queue in one phase', () => {
    expect(previewPhaseQuery('previewd', 'Ready')).toBe("WorkflowType = 'previewLifecycle' AND ExecutionStatus = 'Running' AND TaskQueue = 'previewd' AND PreviewPhase = 'Ready'");
  });

  it('names the workflow type the bundle exports', () => {
    expect(LIFECYCLE_WORKFLOW_TYPE).toBe(previewLifecycle.name);
  });

  it("keeps a quote in the task queue's name inside the literal", () => {
    expect(previewPhaseQuery("it's\\q", 'Ready')).toContain("TaskQueue = 'it\\'s\\\\q'");
  });
});

/** Answers from `counts` per phase; records every query. */
function visibility(counts: Partial<Record<string, number>>) {
  const queries: string[] = [];
  let failing: Error | undefined;
  let hanging = false;
  const count: CountWorkflows = (query) => {
    queries.push(query);
    if (failing) return Promise.reject(failing);
    if (hanging) return new Promise(() => undefined);
    const phase = /PreviewPhase = '(\w+)'/.exec(query)?.[1] ?? '';
    return Promise.resolve(counts[phase] ?? 0);
  };
  return {
    count,
    queries,
    counts,
    fail: (err: Error | undefined) => (failing = err),
    hang: () => (hanging = true),
  };
}

function tracker(now: { t: number }, options: { maxAgeMs?: number; timeoutMs?: number } = {}) {
  const errors: unknown[] = [];
  const t = new PreviewPhaseTracker({ maxAgeMs: options.maxAgeMs ?? 10_000, timeoutMs: options.timeoutMs ?? 1_000, onError: (err) => errors.push(err), now: () => now.t });
  return { tracker: t, errors };
}

describe('previews by phase', () => {
  it('reports nothing until attached to visibility, and nothing once detached', async () => {
    const clock = { t: 0 };
    const { tracker: t } = tracker(clock);
    expect(await t.current()).toBeUndefined();
    const v = visibility({ Ready: 2 });
    t.attach(v.count, 'previewd');
    expect((await t.current())?.get('Ready')).toBe(2);
    t.detach();
    expect(await t.current()).toBeUndefined();
  });

  it('asks once per phase, then serves scrapes from cache until the counts are maxAge old', async () => {
    const clock = { t: 1_000 };
    const { tracker: t } = tracker(clock, { maxAgeMs: 10_000 });
    const v = visibility({ Ready: 3, Deploying: 1 });
    t.attach(v.count, 'previewd');
    const first = await t.current();
    expect([...(first ?? [])]).toEqual(PREVIEW_PHASES.map((p) => [p, p === 'Ready' ? 3 : p === 'Deploying' ? 1 : 0]));
    expect(v.queries).toHaveLength(PREVIEW_PHASES.length);

    v.counts.Ready = 4;
    clock.t += 9_999;
    expect((await t.current())?.get('Ready')).toBe(3);
    expect(v.queries).toHaveLength(PREVIEW_PHASES.length);

    clock.t += 1;
    expect((await t.current())?.get('Ready')).toBe(4);
    expect(v.queries).toHaveLength(2 * PREVIEW_PHASES.length);
  });

  it('shares one round of queries between concurrent scrapes', async () => {
    const { tracker: t } = tracker({ t: 0 });
    const v = visibility({ Failed: 1 });
    t.attach(v.count, 'previewd');
    const [a, b] = await Promise.all([t.current(), t.current()]);
    expect(a?.get('Failed')).toBe(1);
    expect(b).toBe(a);
    expect(v.queries).toHaveLength(PREVIEW_PHASES.length);
  });

  it('keeps the last counts and reports the error when visibility fails, then recovers', async () => {
    const clock = { t: 0 };
    const { tracker: t, errors } = tracker(clock, { maxAgeMs: 1 });
    const v = visibility({ Ready: 5 });
    t.attach(v.count, 'previewd');
    expect((await t.current())?.get('Ready')).toBe(5);

    v.fail(new Error('visibility store unavailable'));
    v.counts.Ready = 6;
    clock.t += 10;
    await expect(t.current()).resolves.toEqual(new Map(PREVIEW_PHASES.map((p) => [p, p === 'Ready' ? 5 : 0])));
    expect(errors).toEqual([new Error('visibility store unavailable')]);

    v.fail(undefined);
    clock.t += 10;
    expect((await t.current())?.get('Ready')).toBe(6);
    expect(errors).toHaveLength(1);
  });

  it('gives up on a visibility call that does not answer, without failing the scrape', async () => {
    const { tracker: t, errors } = tracker({ t: 0 }, { timeoutMs: 20 });
    const v = visibility({});
    v.hang();
    t.attach(v.count, 'previewd');
    await expect(t.current()).resolves.toBeUndefined();
    expect(String(errors[0])).toContain('within 20 ms');
  });
});
