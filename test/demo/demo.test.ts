import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startDemo } from '../../src/demo/demo.js';
import { projectPath } from '../support/project-root.js';
import { waitFor } from '../support/gateway-harness.js';

test('the demo serves traffic, summarizes it from /metrics and stops with nothing in flight', async () => {
  const lines: string[] = [];
  const demo = await startDemo({ host: '127.0.0.1', port: 0, summaryIntervalMs: 250, write: (line) => lines.push(line) });
  let stopped = false;
  try {
    assert.ok(lines.some((l) => l.includes(`${demo.url}/metrics`)));
    assert.ok(lines.some((l) => l.includes(`${demo.url}/v1/stats`)));
    assert.ok(lines.some((l) => l.includes(`${demo.url}/v1/models`)));
    await waitFor(() => lines.some((l) => /last [\d.]+ s: [1-9]\d* requests/.test(l)), 8000);
    const models = (await (await fetch(`${demo.url}/v1/models`)).json()) as { data: { id: string; alias_for?: string }[] };
    assert.deepEqual(models.data.filter((m) => m.alias_for === undefined).map((m) => m.id), ['llama3.1:8b', 'llama3.2:3b', 'mistral-7b-instruct', 'qwen2.5:14b']);
    assert.deepEqual(models.data.filter((m) => m.alias_for !== undefined).map((m) => m.id), ['gpt-4o', 'gpt-4o-mini']);
    // The unserved model reaches its fallback chain and is counted as a fallback.
    const response = await fetch(`${demo.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'llama3.3:70b', messages: [{ role: 'user', content: 'Hi' }] }),
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-nexus-fallback-model'), 'qwen2.5:14b');
    // The flaky backend is ejected, then gets traffic again: both show in the live summary.
    const ejectedLine = (l: string): boolean => /ollama_flaky \d+ \([^)]*EJECTED\)/.test(l);
    await waitFor(() => lines.some(ejectedLine), 10_000);
    const firstEjection = lines.findIndex(ejectedLine);
    await waitFor(() => lines.slice(firstEjection + 1).some((l) => /ollama_flaky [1-9]\d*(?: \(\d+ failed\))?(?:,|$)/.test(l)), 20_000);
    const statsBefore = (await (await fetch(`${demo.url}/v1/stats`)).json()) as { requests: { total: number } };
    assert.ok(statsBefore.requests.total > 0);
    await demo.stop();
    stopped = true;
    const final = lines.at(-1) ?? '';
    const match = /In total: (\d+) requests, (\d+) errors?, (\d+) fallbacks, p95 [^,]+, pending 0\./.exec(final);
    assert.ok(match, final);
    assert.ok(Number(match[1]) >= statsBefore.requests.total);
    assert.ok(Number(match[3]) >= 1);
    await assert.rejects(fetch(`${demo.url}/health`));
  } finally {
    if (!stopped) await demo.stop();
  }
});

test('nexus demo runs from the CLI and exits 0 on Ctrl-C', async () => {
  const child = spawn(process.execPath, [projectPath('dist/src/cli.js'), 'demo', '--port', '0', '--interval', '0.3']);
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    await waitFor(() => /last [\d.]+ s: \d+ requests/.test(out), 8000);
    child.kill('SIGINT');
    assert.equal(await exited, 0);
    assert.match(out, /Stopped\. In total: \d+ requests/);
  } finally {
    child.kill('SIGKILL');
  }
});

test('nexus demo refuses a bad --interval with a usage error', async () => {
  const child = spawn(process.execPath, [projectPath('dist/src/cli.js'), 'demo', '--interval', '0']);
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 2);
  assert.match(err, /--interval must be a positive number/);
});
