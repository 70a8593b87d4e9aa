// Runs `promtool check metrics` when promtool is installed (CI installs it; see .ci/run).

import { spawnSync } from 'node:child_process';

/** Whether promtool is on PATH. */
export function hasPromtool(): boolean {
  return spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Message used when a promtool test is skipped locally. */
export const PROMTOOL_MISSING = 'promtool not installed (Debian package prometheus); .ci/run installs it so CI always runs this check';

/** Runs `promtool check metrics` on the text; returns exit status and the problems it printed. */
export function checkMetrics(text: string): { status: number | null; problems: string[] } {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  const problems = `${result.stdout}\n${result.stderr}`.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return { status: result.status, problems };
}
