// What a gateway running as one worker of a process group asks the group for, instead of answering
// from its own state: the merged /metrics and /v1/stats, and the group's per-key rate limits.

import type { ExpositionFormat } from '../metrics/index.js';
import type { StatsDocument } from './stats.js';

/** The link of a cluster worker's gateway to its group (implemented over IPC by src/cluster). */
export interface GroupLink {
  /** The whole group's exposition in `format`, as bytes ready to send. */
  renderMetrics(format: ExpositionFormat): Promise<Buffer>;
  /** The whole group's /v1/stats document. */
  stats(): Promise<StatsDocument>;
  /** Takes one request from the group's limiter of the key named `keyName`: 0 when taken, else ms to wait. */
  takeRateLimit(keyName: string): Promise<number>;
}
