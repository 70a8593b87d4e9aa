// The access log (SPEC 6): one JSON line per chat request on stderr, written whatever the log level,
// with the request id that links it to the exemplars of /metrics. JSON.stringify escapes control
// characters, so a client string cannot forge a line; long client strings are cut. Lines are batched
// into one write per event-loop turn: stderr writes are synchronous syscalls on Linux, one per
// request would be paid on the request path under load.

import type { ChatExchange, ChatObserver } from './chat-exchange.js';

/** Longest client-chosen string written to one line (a model name can be as long as the body). */
export const MAX_LOGGED_STRING = 256;

/** Cuts a client-chosen string to MAX_LOGGED_STRING characters, marking the cut. */
export function truncateForLog(value: string): string {
  return value.length <= MAX_LOGGED_STRING ? value : `${value.slice(0, MAX_LOGGED_STRING)}…`;
}

// A batch is written at once when it grows this large, so a burst cannot hold much memory.
const MAX_BATCH_CHARS = 64 * 1024;

/** Writes one access-log line per finished chat request. */
export class AccessLog implements ChatObserver {
  private readonly write: (chunk: string) => void;
  private batch = '';
  private scheduled = false;
  private readonly flushBatch = (): void => {
    this.scheduled = false;
    this.flush();
  };

  /** Logs to `write` (stderr by default), which receives whole lines, one or more at a time. */
  constructor(write: (chunk: string) => void = (chunk) => process.stderr.write(chunk)) {
    this.write = write;
  }

  /** Writes the lines not yet written (at shutdown, and at the end of each event-loop turn). */
  flush(): void {
    if (this.batch === '') return;
    const chunk = this.batch;
    this.batch = '';
    this.write(chunk);
  }

  chatFinished(ex: ChatExchange): void {
    const line = {
      time: new Date().toISOString(),
      level: ex.status >= 500 ? 'warn' : 'info',
      msg: 'request',
      request_id: ex.requestId,
      model: ex.requestedModel === '' ? null : truncateForLog(ex.requestedModel),
      served_model: ex.backend === 'none' ? null : ex.model,
      backend: ex.backend === 'none' ? null : ex.backend,
      status: ex.status,
      error_type: ex.errorType,
      duration_ms: Math.round(ex.durationMs * 100) / 100,
      first_byte_ms: ex.firstByteMs < 0 ? null : Math.round(ex.firstByteMs * 100) / 100,
      attempts: ex.attempts,
      fallback_from: ex.fallbackFrom,
      stream: ex.stream,
      prompt_tokens: ex.promptTokens < 0 ? null : ex.promptTokens,
      completion_tokens: ex.completionTokens < 0 ? null : ex.completionTokens,
      key: ex.keyName,
    };
    this.batch += `${JSON.stringify(line)}\n`;
    if (this.batch.length >= MAX_BATCH_CHARS) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushBatch);
    }
  }
}
