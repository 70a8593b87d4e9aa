// The parent's handle on one benchmark child process: fork it with its spec, wait until it listens,
// ask it for CPU and memory use, and stop it (gracefully, so a CPU profile gets written).

import { fork, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ChildSpec, ParentMessage, ProcessUsage } from './messages.js';

/** How to fork a child beyond its spec. */
export interface SpawnOptions {
  /** Node flags, e.g. `--cpu-prof`. */
  execArgv?: string[];
  /** Send the child's stderr to this file instead of the terminal (a gateway's access log). */
  stderrFile?: string;
}

/** One spawned benchmark process. */
export class BenchProcess {
  /** Port it listens on. */
  readonly port: number;
  /** What the child said about its setup (e.g. which optional config keys it could set). */
  readonly notes: readonly string[];
  private readonly child: ChildProcess;

  private constructor(child: ChildProcess, port: number, notes: string[]) {
    this.child = child;
    this.port = port;
    this.notes = notes;
  }

  /** Forks `child-main.js` with the spec and waits until it listens. */
  static async spawn(spec: ChildSpec, options: SpawnOptions = {}): Promise<BenchProcess> {
    const script = fileURLToPath(new URL('./child-main.js', import.meta.url));
    const stderr = options.stderrFile === undefined ? 'inherit' : openSync(options.stderrFile, 'a');
    const child = fork(script, [JSON.stringify(spec)], { execArgv: options.execArgv ?? [], stdio: ['ignore', 'inherit', stderr, 'ipc'] });
    if (typeof stderr === 'number') closeSync(stderr);
    const { port, notes } = await new Promise<{ port: number; notes: string[] }>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`${spec.role} exited with ${code} before listening${options.stderrFile ? ` (see ${options.stderrFile})` : ''}`)));
      child.on('message', (message: ChildMessage) => {
        if (message.type === 'listening') resolve(message);
      });
    });
    return new BenchProcess(child, port, notes);
  }

  /** Base URL. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** CPU time, peak RSS and accepted connections of the process so far. */
  async usage(): Promise<ProcessUsage> {
    const { cpuUs, maxRssBytes, connections } = await this.ask({ type: 'usage' }, 'usage');
    return { cpuUs, maxRssBytes, connections };
  }

  /** Asks the gateway process to time `renders` renders of its live registry. */
  renderTime(renders: number): Promise<{ msPerRender: number; bytes: number }> {
    return this.ask({ type: 'render-time', renders }, 'render-time');
  }

  /** Tells the scraper process to scrape every `intervalMs` until `stopScraping`. */
  startScraping(intervalMs: number): void {
    this.post({ type: 'scrape-start', intervalMs });
  }

  /** Stops the scraper; resolves with the scrape times since `startScraping`. */
  stopScraping(): Promise<{ plainMs: number[]; gzipMs: number[] }> {
    return this.ask({ type: 'scrape-stop' }, 'scrapes');
  }

  /** Stops the process gracefully and waits for it to exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.post({ type: 'stop' });
    await exited;
  }

  private ask<T extends ChildMessage['type']>(message: ParentMessage, replyType: T): Promise<Extract<ChildMessage, { type: T }>> {
    return new Promise((resolve, reject) => {
      const onExit = (): void => reject(new Error(`child exited while asked for ${replyType}`));
      const onMessage = (reply: ChildMessage): void => {
        if (reply.type !== replyType) return;
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
        resolve(reply as Extract<ChildMessage, { type: T }>);
      };
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      this.post(message);
    });
  }

  private post(message: ParentMessage): void {
    this.child.send(message);
  }
}
