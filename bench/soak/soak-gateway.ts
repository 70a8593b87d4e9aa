// The gateway process of the soak: one Gateway in its own process (so its RSS and event loop are
// its own), configured from the parent, reporting memory and event-loop delay over IPC on request.

import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { NexusConfig } from '../../src/config/types.js';
import { Gateway } from '../../src/gateway/gateway.js';
import { SILENT_LOGGER } from '../../src/logging/logger.js';

/** What the parent asks. */
export type SoakParentMessage = { type: 'sample'; id: number; resetDelay: boolean; collect: boolean } | { type: 'stop' };

/** What the gateway process answers. */
export type SoakChildMessage =
  | { type: 'listening'; port: number }
  | { type: 'sample'; id: number; rssBytes: number; heapUsedBytes: number; loopDelayP99Ms: number; loopDelayMaxMs: number }
  | { type: 'stopped' };

const config = JSON.parse(process.env.NEXUS_SOAK_CONFIG ?? '{}') as NexusConfig;
// The access log is formatted as in production, then dropped: thousands of lines would bury the report.
const gateway = new Gateway(config, { logger: SILENT_LOGGER, accessLog: () => {} });
// The histogram records the time between its timer's ticks, so the resolution itself is subtracted.
const RESOLUTION_MS = 2;
const loop = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
loop.enable();
const address = await gateway.start();
const send = (message: SoakChildMessage): void => void process.send?.(message);
send({ type: 'listening', port: address.port });

process.on('message', (message: SoakParentMessage) => {
  if (message.type === 'sample') {
    // Collected first (the soak runs node with --expose-gc), so RSS compares live memory, not garbage.
    // Only at the measuring points: a forced GC pauses the loop, which would show as delay.
    if (message.collect) (globalThis as { gc?: () => void }).gc?.();
    send({
      type: 'sample',
      id: message.id,
      rssBytes: process.memoryUsage.rss(),
      heapUsedBytes: process.memoryUsage().heapUsed,
      loopDelayP99Ms: Math.max(0, loop.percentile(99) / 1e6 - RESOLUTION_MS),
      loopDelayMaxMs: Math.max(0, loop.max / 1e6 - RESOLUTION_MS),
    });
    // Reset a few ticks later, so the collection's own pause is not the first delay recorded.
    if (message.resetDelay) setTimeout(() => loop.reset(), 4 * RESOLUTION_MS);
  } else if (message.type === 'stop') {
    void gateway.stop().then(() => {
      send({ type: 'stopped' });
      process.exit(0);
    });
  }
});
