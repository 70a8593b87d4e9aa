// The group's per-key rate limits (SPEC 8): one sliding-window limiter per limited key, held by the
// primary, so a key's requests-per-minute hold across all workers rather than per worker.

import { SlidingWindowLimiter } from '../auth/sliding-window-limiter.js';
import type { AuthKeyConfig } from '../config/types.js';

// SPEC 8: the rate limit is a sliding 60-second window.
const RATE_WINDOW_MS = 60_000;

/** Limiters of every key with `rate_limit_rpm`, by the key's configured name. */
export class GroupLimits {
  private readonly limiters = new Map<string, SlidingWindowLimiter>();

  /** Builds a limiter for every configured key that has a rate limit. */
  constructor(keys: readonly AuthKeyConfig[]) {
    for (const key of keys) if (key.rate_limit_rpm !== undefined) this.limiters.set(key.name, new SlidingWindowLimiter(key.rate_limit_rpm, RATE_WINDOW_MS));
  }

  /** Takes one request of key `name` at `now` (ms): 0 when taken, else ms until its window has room; unknown keys are unlimited. */
  take(name: string, now: number): number {
    return this.limiters.get(name)?.tryTake(now) ?? 0;
  }
}
