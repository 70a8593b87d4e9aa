// `npm run bench`: every library benchmark in one run, printed as Markdown tables with targets.

import { printTable, runBatches } from './harness.js';
import { recordingTasks } from './metrics/recording.bench.js';
import { gatewayRenderPairs, measureRenderPairs, renderTasks } from './metrics/render.bench.js';
import { printComparisons, promClientTasks } from './metrics/prom-client.bench.js';
import { runtimeTasks } from './metrics/runtime.bench.js';
import { instrumentationTasks } from './gateway/instrumentation.bench.js';
import { clusterMergeTasks } from './cluster/merge.bench.js';
import { sseUsageTasks } from './proxy/sse-usage.bench.js';

const recording = await runBatches('recording', recordingTasks());
printTable('Metrics recording (ns per operation, batches of 1,000)', recording);
const render = await runBatches('render', renderTasks());
printTable('Prometheus text rendering', render);
const gatewayRender = measureRenderPairs(gatewayRenderPairs());
printTable('Scrape of the bench:gateway registry (1,019 series, 11,082 samples) to pooled bytes against the previous path (each pair interleaved, medians; target: at most 40% of the previous)', gatewayRender);
const promClient = await runBatches('prom-client', promClientTasks());
const promClientMissed = printComparisons('Side by side with prom-client (same 1,000 series, same run)', promClient);
const runtimeBench = runtimeTasks();
const runtime = await runBatches('runtime', runtimeBench.tasks);
runtimeBench.stop();
printTable('Runtime metrics scrape (process_*, nodejs_*)', runtime);
const perRequest = await runBatches('instrumentation', instrumentationTasks());
printTable('Per-request instrumentation (Instrumentation.chatFinished, one upstream attempt)', perRequest);
const cluster = await runBatches('cluster', await clusterMergeTasks());
printTable('Cluster metrics exchange (per push or per scrape)', cluster);
const sseUsage = await runBatches('sse-usage', sseUsageTasks());
printTable('SSE usage scanner (per relayed chunk, one event per chunk)', sseUsage);
const missed = [...[...recording, ...render, ...gatewayRender, ...runtime, ...perRequest].filter((r) => !r.ok).map((r) => r.name), ...promClientMissed];
if (missed.length > 0) console.log(`\n${missed.length} target(s) missed: ${missed.join(', ')}`);
