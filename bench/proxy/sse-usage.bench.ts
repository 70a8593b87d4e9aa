// The SSE usage scanner per relayed chunk, one simulator event per chunk: strip mode now against the
// previous strip mode (split, decode and concatenate every chunk, kept as evidence), and pass-through.

import { SseUsageScanner } from '../../src/proxy/sse-usage.js';
import { buildStreamBytes } from '../../src/simulator/simulated-replies.js';
import type { BatchTask } from '../harness.js';
import { PreviousSseUsageScanner } from './previous-sse-usage.js';

interface Scanner {
  feed(chunk: Buffer): Buffer;
  flush(): Buffer;
}

// One stream cut into its events, as the backend writes them.
function streamEvents(): Buffer[] {
  const bytes = buildStreamBytes({ stream_options: { include_usage: true } }, 'llama3:8b', 4);
  const events: Buffer[] = [];
  let start = 0;
  for (let end = bytes.indexOf('\n\n'); end !== -1; end = bytes.indexOf('\n\n', start)) {
    events.push(Buffer.from(bytes.subarray(start, end + 2)));
    start = end + 2;
  }
  return events;
}

// Relays 20 whole streams per call; `sink` keeps the results alive so nothing is optimised away.
function relayTask(name: string, events: readonly Buffer[], create: () => Scanner): BatchTask {
  const streams = 20;
  let sink = 0;
  return {
    name,
    batch: streams * events.length,
    run: () => {
      for (let s = 0; s < streams; s++) {
        const scanner = create();
        for (let i = 0; i < events.length; i++) sink += scanner.feed(events[i]!).length;
        sink += scanner.flush().length;
      }
      if (sink < 0) console.log(sink);
    },
  };
}

/** Builds the per-chunk scanner tasks: strip mode now and before, and pass-through mode. */
export function sseUsageTasks(): BatchTask[] {
  const events = streamEvents();
  return [
    relayTask(`strip mode, previous (every chunk split, decoded, concatenated; ${events.length} events per stream)`, events, () => new PreviousSseUsageScanner(true)),
    relayTask('strip mode, now (chunks without "usage" relayed as they are)', events, () => new SseUsageScanner(true)),
    relayTask('pass-through mode (client asked for usage itself)', events, () => new SseUsageScanner(false)),
  ];
}
