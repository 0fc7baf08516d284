// After the upstream fails, the mirror answers at once for a while instead of making every pull
// wait for the same timeout: the daemon then falls back to Docker Hub in moments. When the pause
// is over one request tries the upstream again; the others keep the quick answer until it settles.

export interface BreakerOptions {
  /** How long to answer at once after a failure. */
  openMs: number;
  now?: () => number;
}

export class Breaker {
  private openUntil = 0;
  private trying = false;
  private readonly now: () => number;

  constructor(private readonly o: BreakerOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Milliseconds until the upstream is tried again; 0 when this request may go. */
  wait(): number {
    const left = this.openUntil - this.now();
    if (left > 0) return left;
    if (this.openUntil === 0) return 0;
    // The pause is over: one trial at a time.
    if (this.trying) return 1;
    this.trying = true;
    return 0;
  }

  succeeded(): void {
    this.openUntil = 0;
    this.trying = false;
  }

  /** The request ended with no word on the upstream (its client left): let another try. */
  released(): void {
    this.trying = false;
  }

  failed(): void {
    this.openUntil = this.now() + this.o.openMs;
    this.trying = false;
  }
}
