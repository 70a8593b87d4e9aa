// A registry shaped like the gateway's under `bench:gateway`: 50 models on 4 backends (200 pairs),
// each with a requests counter, a duration histogram (with request-id exemplars), prompt and
// completion token histograms and a time-to-first-token histogram, plus the fleet and process
// families: 1,019 series, 11,082 samples.

import { DURATION_BUCKETS, OVERHEAD_BUCKETS, TOKEN_BUCKETS, FIRST_BYTE_BUCKETS } from '../../src/gateway/metric-families.js';
import { Registry, type HistogramSeries } from '../../src/metrics/index.js';


/** The registry and handles to change its series between renders. */
export interface GatewayLikeRegistry {
  registry: Registry;
  /** Every duration series (they carry exemplars). */
  durations: HistogramSeries[];
  /** Every histogram series of the pairs (durations, tokens, time to first token). */
  histograms: HistogramSeries[];
  /** Records one request on every `stride`-th pair, starting at `offset`, as the gateway would. */
  recordRequests(stride: number, offset: number): void;
}

/** Builds the gateway-shaped registry with some traffic already recorded. */
export function buildGatewayLikeRegistry(): GatewayLikeRegistry {
  const registry = new Registry();
  const requests = registry.counter({ name: 'nexus_requests_total', help: 'Chat completion requests.', labelNames: ['model', 'backend', 'status'] });
  const duration = registry.histogram({ name: 'nexus_request_duration_seconds', help: 'Chat completion duration.', labelNames: ['model', 'backend'], buckets: DURATION_BUCKETS, exemplarLabel: 'request_id' });
  const tokens = registry.histogram({ name: 'nexus_tokens_total', help: 'Tokens per request.', labelNames: ['model', 'backend', 'type'], buckets: TOKEN_BUCKETS });
  const latency = registry.histogram({ name: 'nexus_backend_latency_seconds', help: 'Health check latency.', labelNames: ['backend'], buckets: DURATION_BUCKETS });
  for (const name of ['nexus_backends_total', 'nexus_backends_healthy', 'nexus_models_available']) registry.gauge({ name, help: 'Fleet gauge.' }).set(4);
  const pending = registry.gauge({ name: 'nexus_pending_requests', help: 'Upstream requests in flight.', labelNames: ['backend'] });
  const ttft = registry.histogram({ name: 'nexus_time_to_first_token_seconds', help: 'Time to first token.', labelNames: ['model', 'backend'], buckets: FIRST_BYTE_BUCKETS });
  const overhead = registry.histogram({ name: 'nexus_gateway_overhead_seconds', help: 'Gateway overhead.', buckets: OVERHEAD_BUCKETS });
  registry.counter({ name: 'process_cpu_seconds_total', help: 'CPU time.' }).inc(12.34);
  for (const name of ['process_resident_memory_bytes', 'process_start_time_seconds', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds']) registry.gauge({ name, help: 'Process gauge.' }).set(123456789);
  registry.gauge({ name: 'nexus_build_info', help: 'Build information.', labelNames: ['version'] }).labels('0.1.0').set(1);

  const pairs: { ok: { inc(): void }; duration: HistogramSeries; prompt: HistogramSeries; completion: HistogramSeries; ttft: HistogramSeries }[] = [];
  for (let b = 0; b < 4; b++) {
    latency.labels(`sim_backend_${b}`).observe(0.002);
    pending.labels(`sim_backend_${b}`).set(0);
  }
  for (let m = 0; m < 50; m++) {
    for (let b = 0; b < 4; b++) {
      const model = `llama3_${m}_8b_instruct`;
      const backend = `sim_backend_${b}`;
      pairs.push({
        ok: requests.labels(model, backend, '200'),
        duration: duration.labels(model, backend),
        prompt: tokens.labels(model, backend, 'prompt'),
        completion: tokens.labels(model, backend, 'completion'),
        ttft: ttft.labels(model, backend),
      });
    }
  }
  let request = 0;
  const recordRequests = (stride: number, offset: number): void => {
    for (let i = offset % stride; i < pairs.length; i += stride) {
      const pair = pairs[i]!;
      const k = request++;
      const seconds = 0.05 + (k % 97) * 0.031;
      pair.ok.inc();
      pair.duration.observeWithExemplar(seconds, `req-${k}`, 1_700_000_000 + k / 1000);
      pair.prompt.observe(12 + (k % 300));
      pair.completion.observe(100 + (k % 2000));
      pair.ttft.observe(seconds / 4);
      overhead.observe(0.0002);
    }
  };
  for (let round = 0; round < 20; round++) recordRequests(1, round);
  return {
    registry,
    durations: pairs.map((p) => p.duration),
    histograms: pairs.flatMap((p) => [p.duration, p.prompt, p.completion, p.ttft]),
    recordRequests,
  };
}
