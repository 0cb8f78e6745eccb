import { writeHeapSnapshot } from 'node:v8';

// A benchmark's worker process answers the driver's usage requests over IPC, so the RSS and CPU
// figures are the worker's own and not the driver's.

export interface UsageSample {
  readonly rss: number;
  readonly heapUsed: number;
  /** V8 heap committed (used plus free pages the heap keeps): heapUsed's share of the RSS. */
  readonly heapTotal: number;
  /** Memory of C++ objects bound to JS (Buffers included), outside the V8 heap. */
  readonly external: number;
  /** process.cpuUsage(): user and system microseconds since the process started (all threads). */
  readonly cpu: NodeJS.CpuUsage;
  /** Date.now() when sampled. */
  readonly at: number;
}

/** The driver asks for a V8 heap snapshot written to `path` (answered with the same message once written). */
export interface HeapSnapshotRequest {
  readonly heapSnapshot: string;
}

function isSnapshotRequest(message: unknown): message is HeapSnapshotRequest {
  return typeof message === 'object' && message !== null && typeof (message as HeapSnapshotRequest).heapSnapshot === 'string';
}

/**
 * `collectFirst`: a full garbage collection before each sample (the process must run with
 * --expose-gc), so that a memory figure is what is retained, not when the collector last ran.
 */
export function answerUsageRequests(opts: { readonly collectFirst?: boolean } = {}): void {
  const collect = opts.collectFirst ? (globalThis as { gc?: () => void }).gc : undefined;
  if (opts.collectFirst && !collect) throw new Error('answerUsageRequests({ collectFirst }) needs node --expose-gc');
  process.on('message', (message) => {
    if (isSnapshotRequest(message)) {
      // A snapshot holds only what is reachable: it needs no collection first.
      writeHeapSnapshot(message.heapSnapshot);
      process.send?.(message);
      return;
    }
    if (message !== 'usage') return;
    collect?.();
    const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
    const sample: UsageSample = { rss, heapUsed, heapTotal, external, cpu: process.cpuUsage(), at: Date.now() };
    process.send?.(sample);
  });
  // The driver is gone (even SIGKILLed): stop like a deployed worker on SIGTERM.
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  // The channel alone must not keep the process up once the worker has stopped.
  process.channel?.unref();
}
