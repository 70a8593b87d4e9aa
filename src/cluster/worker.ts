// One worker of the group: runs a gateway on the shared port with the primary's health state, pushes
// its metrics, and asks the primary for the group's view (scrapes) and the group's rate limits.

import { Gateway } from '../gateway/gateway.js';
import type { GroupLink } from '../gateway/group-link.js';
import type { StatsDocument } from '../gateway/stats.js';
import { createLogger } from '../logging/logger.js';
import type { ExpositionFormat } from '../metrics/index.js';
import { applyBackendStates, type BackendState } from './backend-state.js';
import { isMessage, type PrimaryMessage, type WorkerMessage } from './messages.js';
import { MetricsPusher } from './metrics-pusher.js';

// A scrape or a limiter take waits this long for the primary before failing (the primary answers in
// well under a millisecond; only a primary that is gone never answers).
const PRIMARY_TIMEOUT_MS = 5_000;

type Pending = { resolve: (message: PrimaryMessage) => void; timer: NodeJS.Timeout };

/** Requests to the primary over IPC, matched to their answers by id. */
class PrimaryChannel implements GroupLink {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  send(message: WorkerMessage, done?: () => void): void {
    if (process.connected && process.send !== undefined) process.send(message, undefined, {}, () => done?.());
    else done?.();
  }

  answer(message: PrimaryMessage & { id: number }): void {
    const waiting = this.pending.get(message.id);
    if (waiting === undefined) return;
    this.pending.delete(message.id);
    clearTimeout(waiting.timer);
    waiting.resolve(message);
  }

  async renderMetrics(format: ExpositionFormat): Promise<Buffer> {
    const answer = await this.request((id) => ({ t: 'metrics', id, format }));
    const body = (answer as { body: Uint8Array }).body;
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  }

  async stats(): Promise<StatsDocument> {
    return ((await this.request((id) => ({ t: 'stats', id }))) as { body: StatsDocument }).body;
  }

  async takeRateLimit(keyName: string): Promise<number> {
    return ((await this.request((id) => ({ t: 'take', id, key: keyName }))) as { waitMs: number }).waitMs;
  }

  private request(build: (id: number) => WorkerMessage): Promise<PrimaryMessage> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error('the cluster primary did not answer'));
      }, PRIMARY_TIMEOUT_MS);
      this.pending.set(id, { resolve, timer });
      this.send(build(id));
    });
  }
}

// The primary's health checker decided these states just now; the next checks are an interval away.
function applyHealth(gateway: Gateway, states: readonly BackendState[]): void {
  applyBackendStates(gateway.fleet, states);
  for (const state of states) gateway.health.noteCheckedElsewhere(state.name);
}

/** Runs this process as a worker: waits for the primary's `init`, serves, exits 0 when told to stop. */
export function runWorker(): void {
  // SIGINT/SIGTERM reach every process of the group (Ctrl-C, systemd): only the primary decides.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => {});
  const channel = new PrimaryChannel();
  let gateway: Gateway | null = null;
  let pusher: MetricsPusher | null = null;
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    pusher?.stop();
    const drained = gateway === null ? Promise.resolve() : gateway.stop();
    void drained.then(() => {
      // The last push, written before exiting: requests finished while draining count for the group.
      if (pusher === null) process.exit(0);
      else pusher.push(0, () => process.exit(0));
    });
  };
  process.on('disconnect', stop);
  process.on('message', (message: unknown) => {
    if (!isMessage(message)) return;
    const m = message as PrimaryMessage;
    if (m.t === 'init') {
      const config = m.config;
      const logger = createLogger(config.logging.level);
      gateway = new Gateway(config, { logger, group: channel, healthChecks: false });
      applyHealth(gateway, m.backends);
      pusher = new MetricsPusher(gateway, (out, done) => channel.send(out, done));
      const started = gateway;
      void started.start().then(
        (address) => {
          pusher?.start();
          channel.send({ t: 'ready', port: address.port });
          if (stopping) void started.stop();
        },
        (error: unknown) => {
          logger.error('worker could not start', { error: String((error as Error).message ?? error) });
          process.exit(1);
        },
      );
    } else if (m.t === 'health') {
      if (gateway !== null) applyHealth(gateway, m.backends);
    } else if (m.t === 'flush') {
      if (pusher === null) channel.send({ t: 'push', flush: m.id, push: null, pairs: [], fallbacks: [], errors: [], ejectedUntil: [] });
      else pusher.push(m.id);
    } else if (m.t === 'metrics' || m.t === 'stats' || m.t === 'taken') {
      channel.answer(m);
    } else if (m.t === 'stop') {
      stop();
    } else if (m.t === 'reload-keys') {
      gateway?.reloadKeys();
    }
  });
  channel.send({ t: 'hello' });
}
