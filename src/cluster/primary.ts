// The primary of a group: runs the one health checker, forks the workers (which share the port),
// replaces a worker that dies (keeping its counts), answers their scrapes from the merged view,
// holds the group's rate limits, and drains every worker when the group stops.

import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import type { Backend } from '../fleet/backend.js';
import { Gateway } from '../gateway/gateway.js';
import type { Logger } from '../logging/logger.js';
import type { NexusConfig } from '../config/types.js';
import type { ExpositionFormat } from '../metrics/index.js';
import { readBackendState, readFleetState } from './backend-state.js';
import { GroupLimits } from './group-limits.js';
import { GroupView } from './group-view.js';
import { isMessage, type PrimaryMessage, type WorkerMessage } from './messages.js';

/** The script every worker runs. */
export const WORKER_ENTRY = fileURLToPath(new URL('./worker-main.js', import.meta.url));

// Past the drain time, workers still running are killed, so stopping always ends (SPEC 2.2).
const KILL_GRACE_MS = 5_000;

/** A running group: its port once every worker listens, and how to stop it. */
export class ClusterPrimary {
  private readonly config: NexusConfig;
  private readonly size: number;
  private readonly logger: Logger;
  private readonly local: Gateway;
  private readonly view: GroupView;
  private readonly limits: GroupLimits;
  private readonly ready = new Set<number>();
  private readonly startedAt = performance.now();
  private stopping: Promise<void> | null = null;
  private onAllReady: ((port: number) => void) | null = null;
  private onFatal: ((error: Error) => void) | null = null;

  /** Prepares a group of `workers` processes for `config`; nothing runs until `start()`. */
  constructor(config: NexusConfig, workers: number, logger: Logger) {
    this.config = config;
    this.size = workers;
    this.logger = logger;
    // The primary's own gateway never listens: it holds the fleet, the one health checker and the
    // registry of what only the primary records (health-check latency, fleet gauges).
    this.local = new Gateway(config, { logger, onBackendChecked: (backend, latencyMs) => this.broadcastBackend(backend, latencyMs) });
    this.view = new GroupView(this.local);
    this.limits = new GroupLimits(config.auth.keys);
  }

  /** Runs the first health checks, forks the workers and resolves with the shared port once all listen. */
  async start(): Promise<number> {
    if (this.config.health_check.enabled) await this.local.health.start();
    cluster.setupPrimary({ exec: WORKER_ENTRY, args: [], serialization: 'advanced' });
    cluster.on('message', (worker, message: unknown) => this.handle(worker, message));
    cluster.on('exit', (worker, code, signal) => this.exited(worker, code, signal));
    const port = new Promise<number>((resolve, reject) => {
      this.onAllReady = resolve;
      this.onFatal = reject;
    });
    for (let i = 0; i < this.size; i++) cluster.fork();
    return port;
  }

  /** Tells every worker to drain (each stops like a single gateway), replaces none, resolves when all exited. */
  stop(): Promise<void> {
    if (this.stopping !== null) return this.stopping;
    this.local.health.stop();
    this.local.instrumentation?.close();
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    this.stopping = new Promise<void>((resolve) => {
      if (workers.length === 0) return resolve();
      const killer = setTimeout(() => {
        for (const worker of workers) if (!worker.isDead()) worker.process.kill('SIGKILL');
      }, this.config.server.shutdown_drain_seconds * 1000 + KILL_GRACE_MS);
      cluster.on('exit', () => {
        if (Object.keys(cluster.workers ?? {}).length > 0) return;
        clearTimeout(killer);
        resolve();
      });
      for (const worker of workers) send(worker, { t: 'stop' });
    });
    return this.stopping;
  }

  /** The group's /metrics in `format`: every worker pushes first (at most FLUSH_TIMEOUT_MS), then the merge renders. */
  async renderMetrics(format: ExpositionFormat): Promise<Buffer> {
    await this.refresh();
    return this.view.renderMetrics(format);
  }

  /** Pids of the live workers. */
  workerPids(): number[] {
    return Object.values(cluster.workers ?? {}).flatMap((w) => (w?.process.pid === undefined ? [] : [w.process.pid]));
  }

  /** Kills every worker at once (a second stop signal). */
  kill(): void {
    for (const worker of Object.values(cluster.workers ?? {})) if (worker !== undefined && !worker.isDead()) worker.process.kill('SIGKILL');
  }

  /** Asks every worker to re-read its API key files (SIGHUP). */
  reloadKeys(): void {
    this.logger.info('SIGHUP: workers re-read API key files');
    for (const worker of Object.values(cluster.workers ?? {})) if (worker !== undefined) send(worker, { t: 'reload-keys' });
  }

  private handle(worker: Worker, message: unknown): void {
    if (!isMessage(message)) return;
    const m = message as WorkerMessage;
    if (m.t === 'hello') {
      send(worker, { t: 'init', config: this.config, backends: readFleetState(this.local.fleet) });
    } else if (m.t === 'ready') {
      this.ready.add(worker.id);
      if (this.ready.size === this.size && this.onAllReady !== null) {
        this.logger.info('nexus listening', { url: `http://${this.config.server.host}:${m.port}`, workers: this.size, backends: this.local.fleet.all().length });
        this.onAllReady(m.port);
        this.onAllReady = null;
      }
    } else if (m.t === 'push') {
      this.view.receive(worker.id, m);
    } else if (m.t === 'metrics') {
      void this.renderMetrics(m.format).then((body) => send(worker, { t: 'metrics', id: m.id, body }));
    } else if (m.t === 'stats') {
      void this.refresh().then(() => send(worker, { t: 'stats', id: m.id, body: this.view.statsDocument((performance.now() - this.startedAt) / 1000) }));
    } else if (m.t === 'take') {
      send(worker, { t: 'taken', id: m.id, waitMs: this.limits.take(m.key, performance.now()) });
    }
  }

  private exited(worker: Worker, code: number | null, signal: string | null): void {
    this.view.retire(worker.id);
    const wasReady = this.ready.delete(worker.id);
    if (this.stopping !== null) return;
    if (!wasReady) {
      // A worker that never listened (port in use, bad TLS file) would fail the same way again.
      this.kill();
      this.onFatal?.(new Error(`a worker exited during start-up (code ${code ?? signal})`));
      this.onFatal = null;
      return;
    }
    this.logger.warn('worker died; its counts are kept and a replacement is started', { pid: worker.process.pid, code, signal });
    cluster.fork();
  }

  private refresh(): Promise<void> {
    return this.view.refresh(this.liveIds(), (id, flush) => send(cluster.workers?.[id], { t: 'flush', id: flush }));
  }

  private liveIds(): number[] {
    return Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && this.ready.has(w.id)).map((w) => w.id);
  }

  private broadcastBackend(backend: Backend, latencyMs: number): void {
    const message: PrimaryMessage = { t: 'health', backends: [readBackendState(backend, latencyMs)] };
    for (const worker of Object.values(cluster.workers ?? {})) if (worker !== undefined) send(worker, message);
  }
}

// A worker that is exiting may have closed its channel: a message to it is dropped, never thrown.
function send(worker: Worker | undefined, message: PrimaryMessage): void {
  if (worker === undefined || !worker.isConnected()) return;
  try {
    worker.send(message);
  } catch {
    // The exit event follows and accounts for the worker.
  }
}
