// The IPC protocol between the primary and its workers (node:cluster, `serialization: 'advanced'`,
// so the Float64Array of a push and the Buffer of a rendered scrape cross as bytes, not JSON).

import type { NexusConfig } from '../config/types.js';
import type { ExpositionFormat } from '../metrics/index.js';
import type { RecentError } from '../gateway/recent-errors.js';
import type { StatsDocument } from '../gateway/stats.js';
import type { BackendState } from './backend-state.js';
import type { SnapshotPush } from './snapshot-codec.js';

/** Raw names of a (model, backend) pair, by its label values, for /v1/stats (labels are sanitized). */
export type PairNames = readonly [modelLabel: string, backendLabel: string, model: string, backend: string];

/** Raw names of a fallback pair, by its label values, for /v1/stats `fallback_pairs`. */
export type FallbackNames = readonly [fromLabel: string, toLabel: string, from: string, to: string];

/** Messages the primary sends a worker. */
export type PrimaryMessage =
  /** First message: the configuration to run and the fleet as the health checker sees it. */
  | { t: 'init'; config: NexusConfig; backends: BackendState[] }
  /** A backend's health changed (or was checked): its new state. */
  | { t: 'health'; backends: BackendState[] }
  /** Push now, even if nothing changed; answer with this id. */
  | { t: 'flush'; id: number }
  /** Answer to a scrape: the merged exposition bytes, or the merged stats document. */
  | { t: 'metrics'; id: number; body: Uint8Array }
  | { t: 'stats'; id: number; body: StatsDocument }
  /** Answer to a rate-limit take: 0 when taken, else ms until the key's window has room. */
  | { t: 'taken'; id: number; waitMs: number }
  /** Drain and exit (the group is stopping). */
  | { t: 'stop' }
  /** Re-read API key files (SIGHUP reached the primary). */
  | { t: 'reload-keys' };

/** Messages a worker sends the primary. */
export type WorkerMessage =
  /** The worker listens for messages now (sent first; anything earlier could be lost while it loads). */
  | { t: 'hello' }
  /** Listening on the shared port. */
  | { t: 'ready'; port: number }
  /**
   * Metrics that changed, the pairs, fallback pairs and failures new since the previous push, and each backend's
   * ejection end (fleet order, ms since the epoch; ejection is per worker); `flush` answers a flush.
   */
  | { t: 'push'; flush: number; push: SnapshotPush | null; pairs: PairNames[]; fallbacks: FallbackNames[]; errors: RecentError[]; ejectedUntil: number[] }
  /** A scrape landed on this worker: render the group in `format`. */
  | { t: 'metrics'; id: number; format: ExpositionFormat }
  | { t: 'stats'; id: number }
  /** Take one request from the group's limiter of API key `key` (its configured name). */
  | { t: 'take'; id: number; key: string };

/** Whether a value received over IPC looks like a message of this protocol (anything else is ignored). */
export function isMessage(value: unknown): value is { t: string } {
  return typeof value === 'object' && value !== null && typeof (value as { t?: unknown }).t === 'string';
}
