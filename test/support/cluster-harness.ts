// Starts a real `nexus serve --workers N` process group on port 0 for cluster tests, and reads its
// state over HTTP only (the harness has no in-process objects of a group).

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NexusConfig } from '../../src/config/types.js';
import { parsePrometheusText, sumSamples } from './prometheus-text.js';
import { projectPath } from './project-root.js';

/** A running process group. */
export interface ClusterHarness {
  url: string;
  child: ChildProcess;
  /** Everything the group wrote to stderr so far. */
  stderr(): string;
  /** Pids of the primary's child processes right now. */
  workerPids(): number[];
  /** SIGTERM to the primary; resolves with its exit code. */
  stop(): Promise<number | null>;
}

/** Writes `config` to a temporary file and starts `nexus serve --workers N` on it. */
export async function startCluster(config: NexusConfig, workers: number, env: NodeJS.ProcessEnv = {}): Promise<ClusterHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'nexus-cluster-'));
  const file = join(dir, 'nexus.json');
  const { tls, ...server } = config.server;
  // Info level: the group's "nexus listening" line tells the harness its port.
  const logging = { ...config.logging, level: 'info' };
  writeFileSync(file, JSON.stringify({ ...config, logging, server: tls === null ? server : config.server }));
  const child = spawn(process.execPath, [projectPath('dist/src/cli.js'), 'serve', '--config', file, '--workers', String(workers)], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => rmSync(dir, { recursive: true, force: true }));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the group did not start:\n${stderr}`)), 15_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const match = /"msg":"nexus listening","url":"(http:\/\/[^"]+)"/.exec(stderr);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
    void exited.then((code) => reject(new Error(`the group exited with ${code} before listening:\n${stderr}`)));
  });
  return {
    url,
    child,
    stderr: () => stderr,
    workerPids: () => childPids(child.pid as number),
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Pids whose parent is `pid` (from ps). */
export function childPids(pid: number): number[] {
  const out = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).stdout;
  return out.split('\n').map((line) => Number(line.trim())).filter((n) => n > 0);
}

/** Whether a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Scrapes /metrics and parses it. */
export async function scrapeGroup(url: string): Promise<ReturnType<typeof parsePrometheusText>> {
  const res = await fetch(`${url}/metrics`);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return parsePrometheusText(await res.text());
}

/** Sum of `nexus_requests_total` in one scrape. */
export async function groupRequestTotal(url: string): Promise<number> {
  return sumSamples(await scrapeGroup(url), 'nexus_requests_total');
}
