// The benchmark's worker process: previewd's real worker entry point (src/worker/main.ts, its
// config from PREVIEWD_CONFIG), plus answers to the bench driver's usage requests over IPC, so
// the RSS and CPU figures are the worker's own and not the driver's.

export interface UsageSample {
  readonly rss: number;
  readonly heapUsed: number;
  /** process.cpuUsage(): user and system microseconds since the process started (all threads). */
  readonly cpu: NodeJS.CpuUsage;
  /** Date.now() when sampled. */
  readonly at: number;
}

process.on('message', (message) => {
  if (message !== 'usage') return;
  const { rss, heapUsed } = process.memoryUsage();
  const sample: UsageSample = { rss, heapUsed, cpu: process.cpuUsage(), at: Date.now() };
  process.send?.(sample);
});
// The driver is gone (even SIGKILLed): stop like a deployed worker on SIGTERM.
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
// The channel alone must not keep the process up once the worker has stopped.
process.channel?.unref();

import '../../src/worker/main';
