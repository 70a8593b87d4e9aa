// The last failed chat requests, newest first, for /v1/stats and the dashboard (SPEC 4). A fixed
// ring of entries; messages are cut so 50 entries can never hold much memory.

import { truncateForLog } from './access-log.js';
import type { ChatExchange, ChatObserver } from './chat-exchange.js';

/** How many failures are kept. */
export const RECENT_ERRORS_KEPT = 50;

/** One failed request as /v1/stats reports it. */
export interface RecentError {
  time: string;
  request_id: string;
  model: string;
  backend: string;
  status: number;
  error_type: string | null;
  message: string;
}

/** Keeps the last RECENT_ERRORS_KEPT requests that did not end in 2xx. */
export class RecentErrors implements ChatObserver {
  private readonly ring: (RecentError | null)[] = new Array<RecentError | null>(RECENT_ERRORS_KEPT).fill(null);
  private next = 0;

  chatFinished(ex: ChatExchange): void {
    if (ex.status >= 200 && ex.status < 300) return;
    this.ring[this.next] = {
      time: new Date().toISOString(),
      request_id: ex.requestId,
      model: truncateForLog(ex.model),
      backend: ex.backend,
      status: ex.status,
      error_type: ex.errorType,
      message: truncateForLog(ex.errorMessage ?? ''),
    };
    this.next = (this.next + 1) % RECENT_ERRORS_KEPT;
  }

  /** The kept failures, newest first. */
  list(): RecentError[] {
    const out: RecentError[] = [];
    for (let i = 1; i <= RECENT_ERRORS_KEPT; i++) {
      const entry = this.ring[(this.next - i + RECENT_ERRORS_KEPT) % RECENT_ERRORS_KEPT];
      if (entry !== null && entry !== undefined) out.push(entry);
    }
    return out;
  }
}
