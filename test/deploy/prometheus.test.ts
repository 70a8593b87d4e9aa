// deploy/prometheus/: the alerting rules pass `promtool check rules`, their unit tests pass
// `promtool test rules`, every alert is tested both firing and silent, and the example config is valid.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { projectPath } from '../support/project-root.js';
import { hasPromtool, PROMTOOL_MISSING } from '../support/promtool.js';

const DIR = projectPath('deploy', 'prometheus');
const skip = hasPromtool() ? false : PROMTOOL_MISSING;

/** Runs promtool in deploy/prometheus (rule files are named relative to it). */
function runPromtool(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync('promtool', args, { cwd: DIR, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Alert names defined in the rules file. */
function readAlertNames(): string[] {
  return [...readFileSync(`${DIR}/nexus-alerts.yml`, 'utf8').matchAll(/^\s*- alert:\s*(\w+)\s*$/gm)].map((m) => m[1] as string);
}

/** For each alert, whether the unit tests expect it firing and whether they expect it silent. */
function readTestedCases(): Map<string, { fires: boolean; silent: boolean }> {
  const cases = new Map<string, { fires: boolean; silent: boolean }>();
  let current: string | undefined;
  for (const line of readFileSync(`${DIR}/nexus-alerts.test.yml`, 'utf8').split('\n')) {
    const name = /^\s*alertname:\s*(\w+)/.exec(line)?.[1];
    if (name !== undefined) current = name;
    const expected = /^\s*exp_alerts:\s*(.*)$/.exec(line)?.[1];
    if (expected === undefined || current === undefined) continue;
    const entry = cases.get(current) ?? { fires: false, silent: false };
    if (expected.trim().startsWith('[]')) entry.silent = true;
    else entry.fires = true;
    cases.set(current, entry);
    current = undefined;
  }
  return cases;
}

test('the rules file defines the alerts the operator kit promises', () => {
  assert.deepEqual(readAlertNames().sort(), [
    'NexusBackendDown', 'NexusBackendEjected', 'NexusGatewayDown', 'NexusHighErrorRatio',
    'NexusHighLatencyP95', 'NexusNoHealthyBackend', 'NexusPendingSaturation', 'NexusUpstreamQueued',
  ]);
});

test('every alert has a unit test where it fires and one where it stays silent', () => {
  const cases = readTestedCases();
  for (const alert of readAlertNames()) assert.deepEqual(cases.get(alert), { fires: true, silent: true }, alert);
  assert.deepEqual([...cases.keys()].filter((name) => !readAlertNames().includes(name)), [], 'tests of alerts that do not exist');
});

test('promtool check rules accepts the alerting rules', { skip }, () => {
  const { status, output } = runPromtool('check', 'rules', 'nexus-alerts.yml');
  assert.equal(status, 0, output);
  assert.match(output, /SUCCESS: 8 rules found/);
});

test('promtool test rules passes every alert unit test', { skip }, () => {
  const { status, output } = runPromtool('test', 'rules', 'nexus-alerts.test.yml');
  assert.equal(status, 0, output);
  assert.match(output, /SUCCESS/);
});

test('promtool check config accepts the example scrape configuration and its rule file', { skip }, () => {
  const { status, output } = runPromtool('check', 'config', 'prometheus.yml');
  assert.equal(status, 0, output);
  assert.match(output, /SUCCESS: 1 rule files found/);
});

test('the example configuration scrapes the job the alerts and the dashboard select', () => {
  assert.match(readFileSync(`${DIR}/prometheus.yml`, 'utf8'), /^\s*- job_name: nexus\s*$/m);
  const selectors = [...readFileSync(`${DIR}/nexus-alerts.yml`, 'utf8').matchAll(/[a-z_]+\{([^}]*)\}/g)];
  assert.ok(selectors.length >= 8);
  for (const [selector, matchers] of selectors) assert.match(matchers ?? '', /job="nexus"/, selector);
});
