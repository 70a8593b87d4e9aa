// `npm run bench`: every library benchmark in one run, printed as Markdown tables with targets.

import { printTable, runBatches } from './harness.js';
import { recordingTasks } from './metrics/recording.bench.js';
import { renderTasks } from './metrics/render.bench.js';
import { runtimeTasks } from './metrics/runtime.bench.js';
import { instrumentationTasks } from './gateway/instrumentation.bench.js';

const recording = await runBatches('recording', recordingTasks());
printTable('Metrics recording (ns per operation, batches of 1,000)', recording);
const render = await runBatches('render', renderTasks());
printTable('Prometheus text rendering', render);
const runtimeBench = runtimeTasks();
const runtime = await runBatches('runtime', runtimeBench.tasks);
runtimeBench.stop();
printTable('Runtime metrics scrape (process_*, nodejs_*)', runtime);
const perRequest = await runBatches('instrumentation', instrumentationTasks());
printTable('Per-request instrumentation (Instrumentation.chatFinished)', perRequest);
const missed = [...recording, ...render, ...runtime, ...perRequest].filter((r) => !r.ok);
if (missed.length > 0) console.log(`\n${missed.length} target(s) missed: ${missed.map((r) => r.name).join(', ')}`);
