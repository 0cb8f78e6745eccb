import { PREVIEW_PHASES, PREVIEW_WORKFLOW_TYPE, type PreviewPhase } from '../../workflows/contract';

// "Previews by phase" is workflow state, and the `PreviewPhase` search attribute mirrors it,
// so the numbers come from Temporal visibility, not from what one worker happens to run.
// Counted when Prometheus scrapes, cached for a few seconds so scrapes do not hammer
// Temporal, and a visibility error keeps the last numbers (and is counted) instead of
// failing the scrape. Every worker replica reports the same totals: dashboards take `max`.

export type CountWorkflows = (query: string) => Promise<number>;

export type PhaseCounts = ReadonlyMap<PreviewPhase, number>;

/** Visibility strings are single-quoted; a quote or backslash in a configured name must not end the literal. */
function literal(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Running lifecycle runs of one task queue (one previewd installation) in `phase`. */
export function previewPhaseQuery(taskQueue: string, phase: PreviewPhase): string {
  return `WorkflowType = ${literal(PREVIEW_WORKFLOW_TYPE)} AND ExecutionStatus = 'Running' AND TaskQueue = ${literal(taskQueue)} AND PreviewPhase = ${literal(phase)}`;
}

export interface PreviewPhaseTrackerOptions {
  /** Counts younger than this are served from cache. */
  readonly maxAgeMs: number;
  /** A refresh slower than this counts as an error (the scrape gets the last numbers). */
  readonly timeoutMs: number;
  readonly onError: (err: unknown) => void;
  readonly now?: () => number;
}

interface Source {
  readonly count: CountWorkflows;
  readonly taskQueue: string;
}

export class PreviewPhaseTracker {
  private source?: Source;
  private last?: PhaseCounts;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private inflight?: Promise<void>;
  private readonly now: () => number;

  constructor(private readonly options: PreviewPhaseTrackerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Starts counting the previews of `taskQueue` (the worker does this once it has a client). */
  attach(count: CountWorkflows, taskQueue: string): void {
    this.source = { count, taskQueue };
    this.last = undefined;
    this.fetchedAt = Number.NEGATIVE_INFINITY;
  }

  /** Stops counting: a stopped worker reports nothing rather than numbers that can only go stale. */
  detach(): void {
    this.source = undefined;
    this.last = undefined;
  }

  /** Counts no older than `maxAgeMs` when visibility answers, else the last ones; never throws. */
  async current(): Promise<PhaseCounts | undefined> {
    if (!this.source) return undefined;
    if (this.now() - this.fetchedAt >= this.options.maxAgeMs) await this.refresh(this.source);
    return this.last;
  }

  private refresh(source: Source): Promise<void> {
    // Concurrent scrapes share one round of queries.
    this.inflight ??= this.fetch(source).finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async fetch(source: Source): Promise<void> {
    try {
      const counts = await withTimeout(
        Promise.all(PREVIEW_PHASES.map(async (phase) => [phase, await source.count(previewPhaseQuery(source.taskQueue, phase))] as const)),
        this.options.timeoutMs,
      );
      if (this.source !== source) return;
      this.last = new Map(counts);
      this.fetchedAt = this.now();
    } catch (err) {
      this.options.onError(err);
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`visibility did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
