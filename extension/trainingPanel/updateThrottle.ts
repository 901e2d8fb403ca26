// Progress arrives once per training step, which can be hundreds of times a second on a fast backend;
// the panel's page needs far fewer messages. This collects calls and runs the flush at most once per
// interval (the first call after a flush schedules the next one), or at once on demand.

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const NODE_TIMERS: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class UpdateThrottle {
  private pending: unknown;

  constructor(
    private readonly flush: () => void,
    private readonly intervalMs: number,
    private readonly timers: Timers = NODE_TIMERS,
  ) {}

  /** Something changed: the flush runs within `intervalMs`, once for all changes until then. */
  changed(): void {
    if (this.pending !== undefined) return;
    this.pending = this.timers.setTimeout(() => this.flushNow(), this.intervalMs);
  }

  /** Runs the flush now (e.g. before the final message) and forgets the scheduled one. */
  flushNow(): void {
    this.cancel();
    this.flush();
  }

  cancel(): void {
    if (this.pending !== undefined) this.timers.clearTimeout(this.pending);
    this.pending = undefined;
  }
}
