// Runs the worker's jobs one at a time, in arrival order. A cancel marks a queued or running job;
// the job sees it through its `isCancelled` check and stops there.

export type Job = (isCancelled: () => boolean) => Promise<void>;

export class JobQueue {
  private readonly waiting: { id: number; job: Job }[] = [];
  private readonly cancelled = new Set<number>();
  private runningId: number | undefined;

  /** Queues a job; it must handle its own errors (a rejection is treated as a bug). */
  enqueue(id: number, job: Job): void {
    this.waiting.push({ id, job });
    if (this.runningId === undefined) void this.runAll();
  }

  /** Marks the job with this id as cancelled; unknown or finished ids are ignored. */
  cancel(id: number): void {
    if (id === this.runningId || this.waiting.some((w) => w.id === id)) this.cancelled.add(id);
  }

  private async runAll(): Promise<void> {
    for (let next = this.waiting.shift(); next; next = this.waiting.shift()) {
      const id = next.id;
      this.runningId = id;
      try {
        await next.job(() => this.cancelled.has(id));
      } finally {
        this.cancelled.delete(id);
        this.runningId = undefined;
      }
    }
  }
}
