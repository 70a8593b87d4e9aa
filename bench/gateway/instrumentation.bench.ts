// The full per-request instrumentation: one finished chat exchange recorded (requests, duration,
// tokens, time to first token, overhead) through the real Instrumentation module, and one upstream
// attempt through the gateway's attempt observer (outlier state, attempts counter, first byte).

import { ChatExchange } from '../../src/gateway/chat-exchange.js';
import { Instrumentation } from '../../src/gateway/instrumentation.js';
import { Fleet } from '../../src/fleet/fleet.js';
import { createAttemptObserver } from '../../src/gateway/fleet-events.js';
import { SILENT_LOGGER } from '../../src/logging/logger.js';
import type { AttemptRecord } from '../../src/proxy/attempt-record.js';
import type { BatchTask } from '../harness.js';

/** Builds the per-request recording task. */
export function instrumentationTasks(): BatchTask[] {
  const fleet = new Fleet([{ name: 'ollama-1', url: 'http://127.0.0.1:1', type: 'ollama', priority: 1 }]);
  const instrumentation = new Instrumentation(fleet, { maxSeriesPerMetric: 10_000, version: 'bench' });
  const exchanges: ChatExchange[] = [];
  for (let i = 0; i < 1000; i++) {
    const ex = new ChatExchange(`id-${i}`, 0, null);
    ex.model = `llama3:${i % 5}b`;
    ex.backend = 'ollama-1';
    ex.stream = i % 2 === 0;
    ex.settle(200, null);
    ex.promptTokens = 12 + (i % 50);
    ex.completionTokens = 100 + i;
    ex.firstByteMs = 40;
    ex.durationMs = 200 + (i % 300);
    ex.upstreamMs = ex.durationMs - 0.2;
    exchanges.push(ex);
  }
  const observer = createAttemptObserver(fleet, instrumentation, SILENT_LOGGER);
  const backend = fleet.get('ollama-1')!;
  const attempts: AttemptRecord[] = [];
  for (let i = 0; i < 1000; i++) {
    // Mostly successes, a busy answer now and then: the common mix, no ejection and no warn line.
    attempts.push({ requestId: `id-${i}`, backend, outcome: i % 50 === 0 ? 'busy' : 'success', status: i % 50 === 0 ? 503 : 200, firstByteMs: 5 + (i % 40), durationMs: 40 + i });
  }
  return [
    {
      name: 'one upstream attempt recorded (outlier state, attempts, first byte)',
      batch: 1000,
      targetNs: 1000,
      run: () => {
        for (let i = 0; i < 1000; i++) observer.attemptFinished(attempts[i]!);
      },
    },
    {
      name: 'one request\'s full set of recordings',
      batch: 1000,
      targetNs: 1000,
      run: () => {
        for (let i = 0; i < 1000; i++) instrumentation.chatFinished(exchanges[i]!);
      },
    },
  ];
}
