// Runs Debian's headless Chromium against a URL (CI installs it; see .ci/run): the rendered DOM or a
// screenshot, each run with a fresh profile so no state leaks between runs.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian's chromium package installs the browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** Message used when a browser test is skipped locally. */
export const CHROMIUM_MISSING = 'chromium not installed (Debian package chromium); .ci/run installs it so CI always runs this test';

const RUN_TIMEOUT_MS = 90_000;

// Flags that keep a headless run self-contained: no sandbox (containers), no GPU, no background
// traffic to Google services, no first-run UI.
const BASE_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--hide-scrollbars',
];

/** Whether the browser is installed and starts. */
export function hasChromium(): boolean {
  return spawnSync(CHROMIUM, ['--version'], { stdio: 'ignore' }).status === 0;
}

// Asynchronous on purpose: the gateway under test runs in this process and must keep answering.
function runChromium(args: string[]): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'nexus-chromium-'));
  return new Promise<string>((resolve, reject) => {
    const child = spawn(CHROMIUM, [...BASE_FLAGS, `--user-data-dir=${profile}`, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      rmSync(profile, { recursive: true, force: true });
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`chromium exited with ${code}: ${Buffer.concat(err).toString('utf8').slice(-2000)}`));
    });
  });
}

/**
 * The DOM after the page ran for `virtualMs` of virtual time (timers fire at once; the clock waits
 * while fetches are pending, so a 2 s poller gets `virtualMs / 2000` real round trips).
 */
export function dumpDom(url: string, virtualMs: number): Promise<string> {
  return runChromium([`--virtual-time-budget=${virtualMs}`, '--dump-dom', url]);
}

/** Saves a PNG screenshot of the page's viewport (Chromium windows are at least 500 px wide). */
export async function screenshot(url: string, path: string, width: number, height: number, virtualMs: number): Promise<void> {
  await runChromium([`--virtual-time-budget=${virtualMs}`, `--window-size=${width},${height}`, `--screenshot=${path}`, url]);
}
