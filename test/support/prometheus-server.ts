// Runs a real Prometheus server for tests: a temporary config and storage directory, loopback only,
// fast scrapes; queries go through its HTTP API. Stopping it removes every trace.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One result of an instant query (`resultType: vector`). */
export interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** The body of `/api/v1/query`. */
export interface QueryAnswer {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: VectorSample[] | [number, string] };
}

/** Options of the server. */
export interface PrometheusOptions {
  /** `host:port` targets scraped as job `jobName`. */
  targets: string[];
  jobName: string;
  scrapeIntervalSeconds?: number;
  /** Sent as `Authorization: Bearer` on every scrape (a key with the `metrics` scope). */
  bearerToken?: string;
  /** Feature flags to enable, e.g. `exemplar-storage`. */
  features?: string[];
}

/** Asks the kernel for a free loopback port (closed again before Prometheus binds it). */
export async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A running Prometheus server. */
export class PrometheusServer {
  /** Base URL of its HTTP API, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  private readonly child: ChildProcess;
  private readonly dir: string;
  private output = '';

  private constructor(url: string, child: ChildProcess, dir: string) {
    this.url = url;
    this.child = child;
    this.dir = dir;
    child.stdout?.on('data', (chunk: Buffer) => this.keepOutput(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.keepOutput(chunk));
    child.on('error', (error) => this.keepOutput(Buffer.from(String(error))));
  }

  /** Starts `prometheus` and resolves once it reports ready. */
  static async start(options: PrometheusOptions): Promise<PrometheusServer> {
    const dir = mkdtempSync(join(tmpdir(), 'nexus-prometheus-'));
    const interval = `${options.scrapeIntervalSeconds ?? 1}s`;
    const targets = options.targets.map((t) => `'${t}'`).join(', ');
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: ${interval}\n  scrape_timeout: ${interval}\n  evaluation_interval: ${interval}\n` +
        `scrape_configs:\n  - job_name: ${options.jobName}\n    static_configs:\n      - targets: [${targets}]\n` +
        (options.bearerToken === undefined ? '' : `    authorization:\n      type: Bearer\n      credentials: '${options.bearerToken}'\n`),
    );
    const port = await findFreePort();
    const child = spawn(
      'prometheus',
      [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn', ...(options.features ?? []).map((feature) => `--enable-feature=${feature}`)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const server = new PrometheusServer(`http://127.0.0.1:${port}`, child, dir);
    try {
      await server.waitUntilReady();
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  /** Runs an instant query; returns Prometheus's answer whatever its status. */
  async query(promql: string): Promise<QueryAnswer> {
    const response = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    return (await response.json()) as QueryAnswer;
  }

  /** Runs an instant query that must succeed and returns its vector. */
  async vector(promql: string): Promise<VectorSample[]> {
    const answer = await this.query(promql);
    if (answer.status !== 'success' || answer.data?.resultType !== 'vector') throw new Error(`query ${promql} failed: ${answer.error ?? answer.data?.resultType}`);
    return answer.data.result as VectorSample[];
  }

  /** Successful scrapes of `job` over the last minute, for the target with the fewest. */
  async successfulScrapes(job: string): Promise<number> {
    const result = await this.vector(`min(sum_over_time(up{job="${job}"}[1m]))`);
    return Number(result[0]?.value[1] ?? 0);
  }

  /** Waits until every target of `job` has `count` more successful scrapes than now. */
  async waitForScrapes(job: string, count: number, timeoutMs = 10_000): Promise<void> {
    const target = (await this.successfulScrapes(job)) + count;
    const until = Date.now() + timeoutMs;
    while ((await this.successfulScrapes(job)) < target) {
      if (Date.now() > until) throw new Error(`fewer than ${count} new successful scrapes of ${job} in ${timeoutMs} ms: ${await this.describeTargets()}\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Each target's health, last error and last scrape duration, for failure messages. */
  async describeTargets(): Promise<string> {
    const response = await fetch(`${this.url}/api/v1/targets`);
    const body = (await response.json()) as { data: { activeTargets: { scrapeUrl: string; health: string; lastError: string; lastScrapeDuration: number }[] } };
    return body.data.activeTargets.map((t) => `${t.scrapeUrl} ${t.health} ${t.lastScrapeDuration.toFixed(3)}s ${t.lastError}`).join('; ');
  }

  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and deletes its directory. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private keepOutput(chunk: Buffer): void {
    // Only the tail matters for a failure message; the log must not grow without bound.
    this.output = (this.output + chunk.toString('utf8')).slice(-8192);
  }

  private async waitUntilReady(timeoutMs = 15_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`prometheus exited with ${this.child.exitCode}\n${this.output}`);
      const ready = await fetch(`${this.url}/-/ready`).then((r) => r.ok, () => false);
      if (ready) return;
      if (Date.now() > until) throw new Error(`prometheus not ready after ${timeoutMs} ms\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
