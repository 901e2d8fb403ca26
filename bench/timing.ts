// Timing helpers shared by the benchmarks.

/** The median wall time of `runs` calls of `fn` in milliseconds, after `warmup` untimed calls. */
export async function medianMs(fn: () => unknown, runs: number, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((x, y) => x - y);
  return times[Math.floor(runs / 2)];
}

/** Keeps the largest resident set size seen, sampled by the caller between steps. */
export class PeakRss {
  private peak = process.memoryUsage().rss;

  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
  }

  get megabytes(): number {
    this.sample();
    return this.peak / 2 ** 20;
  }
}
