import { ratio, summarize, type Figure } from './figures';
import { eventTime } from './preview-status';
import type { UsageWindow } from './worker-process';
import type { PreviewStatus } from '../../workflows/contract';

// The scale measurement's figures: the worker's footprint at rest against the same worker
// idle, and how late each step of an expiry came, against the TTL.

const KiB = 1024;

export function usageFigures(idle: UsageWindow, rest: UsageWindow, n: number): Figure[] {
  return [
    { name: `worker RSS at rest, ${n} open previews (mean)`, value: rest.rssMeanMiB, unit: 'MiB', ratio: ratio(rest.rssMeanMiB, idle.rssMeanMiB, `idle worker before any preview (${idle.rssMeanMiB.toFixed(0)} MiB)`) },
    { name: 'worker RSS at rest (max sample)', value: rest.rssMaxMiB, unit: 'MiB' },
    { name: 'worker RSS per open preview ((rest - idle) / n)', value: ((rest.rssMeanMiB - idle.rssMeanMiB) * KiB) / n, unit: 'KiB' },
    { name: 'worker V8 heap used at rest (mean)', value: rest.heapMeanMiB, unit: 'MiB', ratio: ratio(rest.heapMeanMiB, idle.heapMeanMiB, `idle worker (${idle.heapMeanMiB.toFixed(0)} MiB)`) },
    { name: 'worker V8 heap per open preview ((rest - idle) / n)', value: ((rest.heapMeanMiB - idle.heapMeanMiB) * KiB) / n, unit: 'KiB' },
    { name: 'worker V8 heap committed at rest (used and free pages; mean)', value: rest.heapTotalMeanMiB, unit: 'MiB', ratio: ratio(rest.heapTotalMeanMiB, idle.heapTotalMeanMiB, `idle worker (${idle.heapTotalMeanMiB.toFixed(0)} MiB)`) },
    { name: 'worker external memory at rest (Buffers, native handles; mean)', value: rest.externalMeanMiB, unit: 'MiB', ratio: ratio(rest.externalMeanMiB, idle.externalMeanMiB, `idle worker (${idle.externalMeanMiB.toFixed(0)} MiB)`) },
    { name: 'worker CPU at rest', value: rest.cpuPercent, unit: '% of a core', ratio: { value: rest.cpuPercent / idle.cpuPercent, to: `idle worker (${idle.cpuPercent.toFixed(2)} %)` } },
  ];
}

/** One expiry, epoch ms: when it was due and when each step of it was seen. */
export interface Expiry {
  readonly expiresAt: number;
  /** The server's TimerFired event. */
  readonly serverFired: number;
  /** The workflow task the timer woke (the workflow's teardown-requested event). */
  readonly handled: number;
  /** The first Application deletion (watch). */
  readonly teardownStarted: number;
  /** The namespace's deletionTimestamp (watch). */
  readonly namespaceDeleting: number;
}

export interface ExpiryObservations {
  readonly status: PreviewStatus;
  readonly serverFired?: number;
  readonly applicationsDeleting: readonly number[];
  readonly applications: number;
  readonly namespaceDeleting?: number;
}

export function expiryOf(o: ExpiryObservations): Expiry {
  const where = `${o.status.workflowId} (${o.status.phase})`;
  if (!o.status.teardownReason?.startsWith('expired')) throw new Error(`${where} was torn down for "${o.status.teardownReason ?? 'nothing'}", not its TTL`);
  const handled = eventTime(o.status, 'teardown-requested');
  if (o.serverFired === undefined || handled === undefined || o.applicationsDeleting.length !== o.applications || o.namespaceDeleting === undefined) {
    throw new Error(`${where}: teardown not fully observed`);
  }
  return { expiresAt: Date.parse(o.status.expiresAt), serverFired: o.serverFired, handled, teardownStarted: Math.min(...o.applicationsDeleting), namespaceDeleting: o.namespaceDeleting };
}

function lateness(label: string, values: readonly number[], ttlMs: number): Figure[] {
  const s = summarize(values);
  return (['p50', 'p95', 'max'] as const).map((k) => ({ name: `${label} ${k}`, value: s[k], unit: 'ms', ratio: ratio(s[k], ttlMs, 'the TTL') }));
}

export function expiryFigures(expiries: readonly Expiry[], ttlMs: number): Figure[] {
  const late = (at: (e: Expiry) => number) => expiries.map((e) => at(e) - e.expiresAt);
  return [
    ...lateness('TTL timer fired (server TimerFired event) late by', late((e) => e.serverFired), ttlMs),
    ...lateness('workflow handled the expiry (teardown requested) late by', late((e) => e.handled), ttlMs),
    ...lateness('teardown started (first Application deletion) late by', late((e) => e.teardownStarted), ttlMs),
    ...lateness('namespace deletion issued late by', late((e) => e.namespaceDeleting), ttlMs),
  ];
}
