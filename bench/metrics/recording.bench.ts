// Recording costs of the metrics library: bound and labelled counter/histogram updates and the
// label sanitizer, each measured in batches of 1,000 calls. The joined-string-key table is the
// rejected alternative to nested maps, kept here as evidence.

import { LabelSanitizer, Registry } from '../../src/metrics/index.js';
import type { BatchTask } from '../harness.js';
import { JoinedKeyTable } from './joined-key-table.js';
import { DURATION_BUCKETS } from '../../src/gateway/metric-families.js';

const BATCH = 1000;

/** Builds the recording benchmark tasks. */
export function recordingTasks(): BatchTask[] {
  const registry = new Registry();
  const requests = registry.counter({ name: 'bench_requests_total', help: 'h', labelNames: ['model', 'backend', 'status'] });
  const duration = registry.histogram({ name: 'bench_duration_seconds', help: 'h', labelNames: ['model', 'backend'], buckets: DURATION_BUCKETS });
  const plain = registry.counter({ name: 'bench_plain_total', help: 'h' });
  const withExemplars = registry.histogram({ name: 'bench_exemplar_seconds', help: 'h', buckets: DURATION_BUCKETS, exemplarLabel: 'request_id' }).labels();
  const requestIds: string[] = [];
  for (let i = 0; i < BATCH; i++) requestIds.push(`req-${i.toString(16).padStart(16, '0')}`);
  // A fleet-sized population so lookups walk realistic maps.
  for (let m = 0; m < 50; m++) {
    for (let b = 0; b < 10; b++) {
      requests.labels(`model_${m}`, `backend_${b}`, '200');
      duration.labels(`model_${m}`, `backend_${b}`);
    }
  }
  const boundCounter = requests.labels('model_7', 'backend_3', '200');
  const boundHistogram = duration.labels('model_7', 'backend_3');
  const samples = new Float64Array(BATCH);
  for (let i = 0; i < BATCH; i++) samples[i] = (i % 97) * 0.37;
  // Label values vary from call to call, as they do under real traffic, so no lookup can be hoisted.
  const models: string[] = [];
  const backends: string[] = [];
  for (let i = 0; i < BATCH; i++) {
    models.push(`model_${(i * 7) % 50}`);
    backends.push(`backend_${(i * 3) % 10}`);
  }
  const status = '200';

  const joined = new JoinedKeyTable();
  for (let m = 0; m < 50; m++) for (let b = 0; b < 10; b++) joined.get(`model_${m}`, `backend_${b}`, '200');

  const sanitizer = new LabelSanitizer(10_000);
  const hitName = 'ollama-local:11434';
  sanitizer.sanitize(hitName);
  const missNames: string[] = [];
  for (let i = 0; i < 50_000; i++) missNames.push(`client-model-${i}:latest`);
  let missCursor = 0;

  return [
    { name: 'counter inc (bound, unlabelled)', batch: BATCH, targetNs: 5, run: () => { for (let i = 0; i < BATCH; i++) plain.inc(); } },
    { name: 'counter inc (bound child)', batch: BATCH, targetNs: 5, run: () => { for (let i = 0; i < BATCH; i++) boundCounter.inc(); } },
    { name: 'labels(3 values).inc()', batch: BATCH, targetNs: 30, run: () => { for (let i = 0; i < BATCH; i++) requests.labels(models[i]!, backends[i]!, status).inc(); } },
    { name: 'histogram observe (bound child)', batch: BATCH, targetNs: 5, run: () => { for (let i = 0; i < BATCH; i++) boundHistogram.observe(samples[i]!); } },
    { name: 'histogram observeWithExemplar (bound child, timestamp given)', batch: BATCH, run: () => { for (let i = 0; i < BATCH; i++) withExemplars.observeWithExemplar(samples[i]!, requestIds[i]!, 1_700_000_000.5); } },
    { name: 'histogram observeWithExemplar (bound child, Date.now() stamp)', batch: BATCH, run: () => { for (let i = 0; i < BATCH; i++) withExemplars.observeWithExemplar(samples[i]!, requestIds[i]!); } },
    { name: 'labels(2 values).observe()', batch: BATCH, targetNs: 30, run: () => { for (let i = 0; i < BATCH; i++) duration.labels(models[i]!, backends[i]!).observe(samples[i]!); } },
    { name: 'rejected: joined-key map lookup(3 values).inc()', batch: BATCH, run: () => { for (let i = 0; i < BATCH; i++) joined.get(models[i]!, backends[i]!, status).value++; } },
    { name: 'sanitize (cache hit)', batch: BATCH, run: () => { for (let i = 0; i < BATCH; i++) sanitizer.sanitize(hitName); } },
    {
      name: 'sanitize (cache miss, evicting)',
      batch: BATCH,
      run: () => {
        for (let i = 0; i < BATCH; i++) {
          sanitizer.sanitize(missNames[missCursor]!);
          missCursor = missCursor + 1 === missNames.length ? 0 : missCursor + 1;
        }
      },
    },
  ];
}
