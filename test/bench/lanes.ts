/** Latencies of `n` calls run by `concurrency` lanes, and the wall time of all of them. */
export async function timedLanes(n: number, concurrency: number, one: (i: number) => Promise<void>): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < n) {
      const i = next++;
      const t = performance.now();
      await one(i);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

/** `one(i)` for i < n, `concurrency` at a time; results in index order. */
export async function mapLanes<T>(n: number, concurrency: number, one: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(n);
  await timedLanes(n, concurrency, async (i) => {
    out[i] = await one(i);
  });
  return out;
}
