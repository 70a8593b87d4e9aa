// Paced SSE streams for load benchmarks: exactly N chunks, one SSE event per socket write, chunk i
// written at start + i x interval, so timer drift never accumulates over a long stream.

import type { ServerResponse } from 'node:http';

/** What one paced stream sends. */
export interface PacedStreamSpec {
  /** Writes in the stream: a role event, content events, and the finish event (with usage and [DONE]). */
  chunks: number;
  intervalMs: number;
  /** The fields every chunk object starts with (id, object, created, model). */
  base: Record<string, unknown>;
  /** Content deltas, used in turn. */
  words: readonly string[];
  /** The usage chunk's `usage`, or null when the client did not ask for it. */
  usage: Record<string, number> | null;
}

const DONE = 'data: [DONE]\n\n';

function sseEvent(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

// Events are built once per stream (one per distinct word), not per write: at 10,000 streams the
// simulator writes 250,000 chunks a second and must stay cheaper than the relays it feeds.
function buildEvents(spec: PacedStreamSpec): { role: Buffer; content: Buffer[]; last: Buffer } {
  const { base } = spec;
  const role = Buffer.from(sseEvent({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }));
  const content = spec.words.map((word) => Buffer.from(sseEvent({ ...base, choices: [{ index: 0, delta: { content: word }, finish_reason: null }] })));
  let last = sseEvent({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
  if (spec.usage !== null) last += sseEvent({ ...base, choices: [], usage: spec.usage });
  return { role, content, last: Buffer.from(last + DONE) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Writes the paced stream to `res` (headers already sent) and ends it; stops early if the client left. */
export async function writePacedStream(res: ServerResponse, spec: PacedStreamSpec): Promise<void> {
  const events = buildEvents(spec);
  const started = performance.now();
  for (let i = 0; i < spec.chunks; i++) {
    // Whole milliseconds keep the timer lists few (Node keeps one list per distinct duration).
    const wait = Math.round(started + i * spec.intervalMs - performance.now());
    if (wait > 0) await sleep(wait);
    if (res.destroyed) return;
    if (i === spec.chunks - 1) res.end(events.last);
    else res.write(i === 0 ? events.role : events.content[(i - 1) % events.content.length]!);
  }
}
