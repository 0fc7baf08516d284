// How long each phase of the step took, for the step summary: a small record any layer can feed.

export interface PhaseTimer {
  /** Runs fn and adds its duration to the phase (a phase run twice, e.g. retried, adds up). */
  time<T>(phase: string, fn: () => Promise<T>): Promise<T>;
}

export class Timings implements PhaseTimer {
  private readonly ms = new Map<string, number>();
  constructor(private readonly now: () => number = () => performance.now()) {}

  async time<T>(phase: string, fn: () => Promise<T>): Promise<T> {
    const started = this.now();
    try {
      return await fn();
    } finally {
      this.ms.set(phase, (this.ms.get(phase) ?? 0) + this.now() - started);
    }
  }

  /** Phases in the order they first ran, with their total time in ms. */
  entries(): [string, number][] {
    return [...this.ms.entries()];
  }
}
