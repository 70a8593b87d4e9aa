// The benchmark's fleet and traffic: model and backend names, the request bodies clients send, and
// the processes that serve them (spawned, awaited until listening, stopped).

import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ParentMessage } from './bench-process.js';
import { buildPostRequest } from './load-generator.js';

/** 50 models, all served by the one simulated backend. */
export const BENCH_MODELS: readonly string[] = Array.from({ length: 50 }, (_, i) => `bench-model-${String(i).padStart(2, '0')}`);

/** Four backend names in the gateway config, all pointing at the simulated backend: 200 (model, backend) pairs. */
export const BENCH_BACKEND_NAMES: readonly string[] = ['sim-a', 'sim-b', 'sim-c', 'sim-d'];

/** Request bytes for each model, JSON or streaming, as a typical chat client sends them. */
export function chatRequests(stream: boolean): Buffer[] {
  return BENCH_MODELS.map((model) =>
    buildPostRequest('/v1/chat/completions', {
      model,
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: 'Say hello in one short sentence.' },
      ],
      max_tokens: 64,
      temperature: 0.7,
      ...(stream ? { stream: true } : {}),
    }),
  );
}

/** One spawned benchmark process. */
export class BenchProcess {
  /** Port it listens on. */
  readonly port: number;
  private readonly child: ChildProcess;

  private constructor(child: ChildProcess, port: number) {
    this.child = child;
    this.port = port;
  }

  /** Forks `bench-process.js` with the role and waits until it listens. */
  static async spawn(role: string, args: string[] = [], execArgv: string[] = []): Promise<BenchProcess> {
    const script = fileURLToPath(new URL('./bench-process.js', import.meta.url));
    const child = fork(script, [role, ...args], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const port = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`${role} exited with ${code} before listening`)));
      child.on('message', (message: ChildMessage) => {
        if (message.type === 'listening') resolve(message.port);
      });
    });
    return new BenchProcess(child, port);
  }

  /** Base URL. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
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

  private ask<T extends ChildMessage['type']>(message: ParentMessage, replyType: T): Promise<Extract<ChildMessage, { type: T }>> {
    return new Promise((resolve) => {
      const onMessage = (reply: ChildMessage): void => {
        if (reply.type !== replyType) return;
        this.child.off('message', onMessage);
        resolve(reply as Extract<ChildMessage, { type: T }>);
      };
      this.child.on('message', onMessage);
      this.post(message);
    });
  }

  /** Stops the process gracefully (so a CPU profile gets written) and waits for it to exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.post({ type: 'stop' });
    await exited;
  }

  private post(message: ParentMessage): void {
    this.child.send(message);
  }
}
