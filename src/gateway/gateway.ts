// Assembles a gateway from a configuration: fleet, health checker, router, proxy, instrumentation,
// admission and the HTTP server (its routes: gateway-routes.ts); starts it (first health checks
// before listening) and stops it gracefully.

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KeyStore } from '../auth/key-store.js';
import { collectSecrets, redactSecrets } from '../config/secret-redaction.js';
import type { NexusConfig } from '../config/types.js';
import { Fleet } from '../fleet/fleet.js';
import { HealthChecker, type Scheduler } from '../health/health-checker.js';
import type { ProbeFetch } from '../health/probes.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { UpstreamAgents } from '../proxy/upstream-request.js';
import { createHttpServer, type GatewayHttpServer } from '../server/http-server.js';
import { VERSION } from '../version.js';
import { AccessGuard } from './access-guard.js';
import { ChatAdmission } from './chat-admission.js';
import { createAttemptObserver, logOutlierEvent, logStatusChange } from './fleet-events.js';
import { Instrumentation } from './instrumentation.js';
import { AccessLog } from './access-log.js';
import { combineObservers } from './chat-observers.js';
import { createGatewayRoutes } from './gateway-routes.js';
import { RecentErrors } from './recent-errors.js';
import type { GroupLink } from './group-link.js';
import type { Backend } from '../fleet/backend.js';

// After the drain, how long stop() waits for the requests it cut to be recorded.
const RECORD_WAIT_MS = 1000;

/** Things tests and embedders may replace. */
export interface GatewayOptions {
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  healthFetch?: ProbeFetch;
  scheduler?: Scheduler;
  random?: () => number;
  /** Where access-log lines go (default stderr); it receives whole lines, one or more at a time. */
  accessLog?: (chunk: string) => void;
  /** Set in a cluster worker: /metrics, /v1/stats and rate limits answer for the whole process group. */
  group?: GroupLink;
  /** False in a cluster worker: the primary's one health checker sets the fleet's health (default true). */
  healthChecks?: boolean;
  /** Called after every health check with its latency in ms (-1 when no HTTP answer came): a cluster primary shares it. */
  onBackendChecked?: (backend: Backend, latencyMs: number) => void;
}

/** A running (or startable) gateway. */
export class Gateway {
  /** The effective configuration. */
  readonly config: NexusConfig;
  /** The fleet. */
  readonly fleet: Fleet;
  /** The health checker. */
  readonly health: HealthChecker;
  /** Metrics, or null when disabled. */
  readonly instrumentation: Instrumentation | null;
  /** The HTTP server. */
  readonly server: Server;
  /** The API keys (empty when access control is off). */
  readonly keys: KeyStore;
  /** Chat requests in flight: the concurrency cap and the body-memory budget. */
  readonly admission: ChatAdmission;
  private readonly http: GatewayHttpServer;
  /** The last failed chat requests (/v1/stats). */
  readonly recentErrors = new RecentErrors();
  private readonly logger: Logger;
  private readonly healthChecks: boolean;
  private readonly agents = new UpstreamAgents();
  private readonly accessLog: AccessLog | null;
  private readonly startedAt = performance.now();
  private draining = false;
  private stopping: Promise<void> | null = null;

  /** Builds every part; nothing listens until `start()`. */
  constructor(config: NexusConfig, options: GatewayOptions = {}) {
    this.config = config;
    this.logger = options.logger ?? createLogger(config.logging.level);
    this.fleet = new Fleet(config.backends, {
      outlier: { consecutiveFailures: config.routing.outlier.consecutive_failures, baseEjectionMs: config.routing.outlier.base_ejection_seconds * 1000 },
      onOutlierEvent: (event) => logOutlierEvent(this.logger, event),
    });
    const env = options.env ?? process.env;
    const secrets = collectSecrets(config.backends, env);
    const redact = (text: string | null): string | null => redactSecrets(text, secrets);
    this.keys = new KeyStore(config.auth.keys, env);
    const keyNames = this.keys.keys.map((key) => key.name);
    this.instrumentation = config.metrics.enabled
      ? new Instrumentation(this.fleet, { maxSeriesPerMetric: config.metrics.max_series_per_metric, version: VERSION, keyNames })
      : null;
    const instrumentation = this.instrumentation;
    this.health = new HealthChecker(this.fleet, {
      intervalMs: config.health_check.interval_seconds * 1000,
      timeoutMs: config.health_check.timeout_seconds * 1000,
      failureThreshold: config.health_check.failure_threshold,
      recoveryThreshold: config.health_check.recovery_threshold,
      env,
      ...(options.healthFetch ? { fetch: options.healthFetch } : {}),
      ...(options.scheduler ? { scheduler: options.scheduler } : {}),
      onCheck: (backend, result, seconds) => {
        if (result.httpAnswered) instrumentation?.healthChecked(backend, seconds);
        options.onBackendChecked?.(backend, result.httpAnswered ? seconds * 1000 : -1);
      },
      onStatusChange: (backend, previous) => logStatusChange(this.logger, backend, previous, redact),
    });
    if (!config.health_check.enabled) {
      // Nothing will ever list their models: a backend without configured ones takes any name (SPEC 2.1).
      for (const backend of this.fleet.all()) {
        backend.status = 'healthy';
        if (backend.configuredModels === null) backend.acceptsAnyModel = true;
      }
    }
    const uptime = (): number => (performance.now() - this.startedAt) / 1000;
    const group = options.group ?? null;
    this.healthChecks = config.health_check.enabled && options.healthChecks !== false;
    this.accessLog = config.logging.access ? new AccessLog(options.accessLog) : null;
    const observer = combineObservers([instrumentation, this.recentErrors, this.accessLog]);
    const guard = new AccessGuard(this.keys, observer, group === null ? null : (name) => group.takeRateLimit(name));
    // Admitted requests reach the observers through the admission, which frees their slot and bytes first.
    this.admission = new ChatAdmission(config.server.max_concurrent_requests, config.server.max_inflight_body_bytes, observer);
    const routes = createGatewayRoutes({
      config,
      fleet: this.fleet,
      agents: this.agents,
      env,
      random: options.random,
      attemptObserver: createAttemptObserver(this.fleet, instrumentation, this.logger),
      admission: this.admission,
      guard,
      instrumentation,
      recentErrors: this.recentErrors,
      group,
      logger: this.logger,
      uptime,
      isDraining: () => this.draining,
      retryAfter: () => (config.health_check.enabled ? this.health.secondsToNextCheck() : 1),
      redact,
    });
    this.http = createHttpServer(routes, this.logger, {
      headersTimeoutMs: config.server.headers_timeout_seconds * 1000,
      writeStallTimeoutMs: config.server.write_stall_timeout_seconds * 1000,
      guard: this.keys.enabled ? (req, res) => guard.admit(req, res) : null,
      tls: config.server.tls,
    });
    this.server = this.http.server;
  }

  /** Runs the first health checks (concurrently), then listens. Resolves with the bound address. */
  async start(): Promise<AddressInfo> {
    if (this.healthChecks) await this.health.start();
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.config.server.port, this.config.server.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo;
    const scheme = this.config.server.tls === null ? 'http' : 'https';
    this.logger.info('nexus listening', { url: `${scheme}://${address.address}:${address.port}`, backends: this.fleet.all().length, access_control: this.keys.enabled });
    if (!this.keys.enabled && !isLoopback(address.address)) {
      this.logger.warn('listening beyond loopback with no API key configured: anyone who can reach this port can use the backends and read the fleet (configure auth.keys)', { host: address.address });
    }
    return address;
  }

  /** Re-reads the API key files (SIGHUP); a file that cannot be read keeps its old key, with a warning. */
  reloadKeys(): void {
    const failed = this.keys.reloadKeyFiles();
    this.logger.info('API key files re-read', { keys: this.keys.keys.filter((k) => k.config.key_file !== undefined).length });
    for (const name of failed) this.logger.warn('API key file could not be re-read; the previous key stays valid', { key: name });
  }

  /** Whether the gateway is shutting down (`/ready` then answers 503). */
  get isDraining(): boolean {
    return this.draining;
  }

  /** Marks the gateway as shutting down: `/ready` answers 503 from now on, so load balancers move away. */
  beginDrain(): void {
    this.draining = true;
  }

  /**
   * Graceful stop (SPEC 2.2): stops accepting, closes idle sockets, answers further requests on
   * kept-alive sockets with `Connection: close`, and resolves as soon as the requests in flight are
   * done; at most `shutdown_drain_seconds` later the rest are cut and recorded 503 `shutdown`.
   * Calling it again returns the same promise.
   */
  stop(): Promise<void> {
    this.stopping ??= this.drainAndRelease();
    return this.stopping;
  }

  private async drainAndRelease(): Promise<void> {
    this.beginDrain();
    this.health.stop();
    const { drain, stall } = this.http;
    drain.begin();
    const finished = await drain.settled(this.config.server.shutdown_drain_seconds * 1000);
    if (!finished) {
      const cut = this.admission.cutAll();
      this.logger.warn('shutdown drain over: cutting requests still running', { requests: drain.inFlight, chat_requests: cut });
    }
    drain.closeAll();
    stall.stop();
    this.agents.destroy();
    // Cut requests are recorded once their responses close, which closing the sockets just began:
    // wait for that (briefly), so the counts are final when stop() resolves.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.admission.whenEmpty(), new Promise((resolve) => (timer = setTimeout(resolve, RECORD_WAIT_MS)))]);
    clearTimeout(timer);
    this.accessLog?.flush();
    this.instrumentation?.close();
  }
}

// 127.0.0.0/8 and ::1 (also as an IPv4-mapped address) reach only this machine.
function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.');
}
