// Finds the system tools some tests drive for real (prometheus, systemd-analyze, npm); CI installs
// them in .ci/run, so a test may skip for a missing tool only on a developer machine.

import { spawnSync } from 'node:child_process';

/** Whether `command` is on PATH and answers `args` (a version flag) with exit status 0. */
export function hasTool(command: string, args: string[] = ['--version']): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return result.error === undefined && result.status === 0;
}

/** The reason a test gives when it skips for a missing tool. */
export function missingToolReason(command: string, debianPackage: string): string {
  return `${command} not installed (Debian package ${debianPackage}); .ci/run installs it so CI always runs this test`;
}
