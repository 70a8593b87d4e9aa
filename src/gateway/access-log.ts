// The access log (SPEC 6): one JSON line per chat request on stderr, written whatever the log level,
// with the request id that links it to the exemplars of /metrics. JSON.stringify escapes control
// characters, so a client string cannot forge a line; long client strings are cut.

import type { ChatExchange, ChatObserver } from './chat-exchange.js';

/** Longest client-chosen string written to one line (a model name can be as long as the body). */
export const MAX_LOGGED_STRING = 256;

/** Cuts a client-chosen string to MAX_LOGGED_STRING characters, marking the cut. */
export function truncateForLog(value: string): string {
  return value.length <= MAX_LOGGED_STRING ? value : `${value.slice(0, MAX_LOGGED_STRING)}…`;
}

/** Writes one access-log line per finished chat request. */
export class AccessLog implements ChatObserver {
  private readonly write: (line: string) => void;

  /** Logs to `write` (stderr by default). */
  constructor(write: (line: string) => void = (line) => process.stderr.write(line)) {
    this.write = write;
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
    this.write(`${JSON.stringify(line)}\n`);
  }
}
