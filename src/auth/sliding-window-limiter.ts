// An exact sliding-window rate limit: at most `limit` accepted events in any `windowMs`. The times of
// the last `limit` accepted events sit in a ring buffer, so a check is O(1) and memory is fixed.
// Refused events are not recorded, so they never use the limit up (SPEC 8).

/** A per-key sliding-window limiter. */
export class SlidingWindowLimiter {
  private readonly times: Float64Array;
  private next = 0;
  private count = 0;

  /** Allows `limit` events per `windowMs`. */
  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {
    this.times = new Float64Array(limit);
  }

  /**
   * Takes one event at `now` (ms) if the window has room and returns 0; otherwise records nothing
   * and returns the milliseconds until the oldest event in the window leaves it.
   */
  tryTake(now: number): number {
    if (this.count === this.limit) {
      // `next` is the oldest of the `limit` accepted events once the ring is full.
      const oldest = this.times[this.next] as number;
      const wait = oldest + this.windowMs - now;
      if (wait > 0) return wait;
    } else {
      this.count++;
    }
    this.times[this.next] = now;
    this.next = (this.next + 1) % this.limit;
    return 0;
  }
}
