// The top-level Dockerfile, checked by parsing it (no Docker engine or image registry here): slim
// Node 20 base, multi-stage, non-root, liveness HEALTHCHECK on /health, 0.0.0.0 inside, no secrets.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway, testConfig } from '../support/gateway-harness.js';
import { findFreePort } from '../support/prometheus-server.js';
import { projectPath } from '../support/project-root.js';
import { HAS_OPENSSL, makeCertificate } from '../support/tls-certificate.js';

interface Instruction {
  keyword: string;
  args: string;
  stage: number;
}

/** Dockerfile instructions in order, continuation lines joined, with the build stage they belong to. */
function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let stage = -1;
  let pending = '';
  for (const raw of text.split('\n')) {
    if (pending === '' && /^\s*(#|$)/.test(raw)) continue;
    if (raw.trimEnd().endsWith('\\')) {
      pending += raw.trimEnd().slice(0, -1) + ' ';
      continue;
    }
    const line = (pending + raw).trim();
    pending = '';
    const [, keyword = '', args = ''] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    assert.ok(keyword !== '', `unparsable line ${JSON.stringify(line)}`);
    if (keyword.toUpperCase() === 'FROM') stage++;
    instructions.push({ keyword: keyword.toUpperCase(), args: args.replace(/\s+/g, ' '), stage });
  }
  return instructions;
}

const text = readFileSync(projectPath('Dockerfile'), 'utf8');
const instructions = parseDockerfile(text);
const finalStage = Math.max(...instructions.map((i) => i.stage));
const final = instructions.filter((i) => i.stage === finalStage);

/** Arguments of every instruction of the final stage with this keyword. */
function findFinalArgs(keyword: string): string[] {
  return final.filter((i) => i.keyword === keyword).map((i) => i.args);
}

/** Variables set by ENV in the final stage (both `K=V` and `K V` forms). */
function readFinalEnv(): Map<string, string> {
  const env = new Map<string, string>();
  for (const args of findFinalArgs('ENV')) {
    if (!args.includes('=')) env.set(args.split(' ')[0] ?? '', args.split(' ').slice(1).join(' '));
    else for (const m of args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env.set(m[1] as string, (m[2] as string).replace(/^"|"$/g, ''));
  }
  return env;
}

test('every stage starts from the slim Node 20 image and the build stage stays out of the final one', () => {
  const froms = instructions.filter((i) => i.keyword === 'FROM').map((i) => i.args);
  assert.ok(froms.length >= 2, 'multi-stage build');
  for (const from of froms) assert.match(from, /^node:20-bookworm-slim( AS \w+)?$/i);
  assert.ok(findFinalArgs('COPY').every((args) => args.startsWith('--from=')), 'the final stage copies only built artifacts');
});

test('the build stage installs from the lock file and packs the package; the final stage installs that package', () => {
  const build = instructions.filter((i) => i.stage === 0 && i.keyword === 'RUN').map((i) => i.args).join('\n');
  assert.match(build, /npm ci\b/);
  assert.match(build, /npm pack\b/);
  assert.match(findFinalArgs('RUN').join('\n'), /npm install --global --offline .*\.tgz/);
});

test('the final image runs as a non-root user', () => {
  const users = findFinalArgs('USER');
  assert.equal(users.length, 1);
  assert.doesNotMatch(users[0] ?? '', /^(root|0)(:|$)/);
  // USER must come after every RUN, or the last RUNs would not be what runs as that user.
  const userIndex = final.findIndex((i) => i.keyword === 'USER');
  assert.ok(final.slice(userIndex).every((i) => i.keyword !== 'RUN'));
});

test('the gateway listens on every interface of the container on the exposed port', () => {
  const env = readFinalEnv();
  assert.equal(env.get('NEXUS_HOST'), '0.0.0.0');
  const port = env.get('NEXUS_PORT') ?? '8000';
  assert.deepEqual(findFinalArgs('EXPOSE'), [port]);
});

test('the HEALTHCHECK asks /health with node (slim images have no curl) on the configured port', () => {
  const [healthcheck = ''] = findFinalArgs('HEALTHCHECK');
  assert.match(healthcheck, /CMD \["node", "-e", /);
  assert.match(healthcheck, /\/health'/);
  assert.match(healthcheck, /process\.env\.NEXUS_PORT/);
  assert.doesNotMatch(healthcheck, /\/ready/, 'readiness would restart the container when a backend is down');
  assert.doesNotMatch(healthcheck, /curl|wget/);
});

/** Runs the HEALTHCHECK command as Docker would (exec form) with NEXUS_PORT set; resolves its exit status. */
function runHealthcheck(port: number, env: Record<string, string> = {}): Promise<number | null> {
  const [healthcheck = ''] = findFinalArgs('HEALTHCHECK');
  const [command = '', ...args] = JSON.parse(healthcheck.slice(healthcheck.indexOf('CMD ') + 4)) as string[];
  const child = spawn(command === 'node' ? process.execPath : command, args, { env: { ...process.env, NEXUS_PORT: String(port), ...env }, stdio: 'ignore' });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

test('the HEALTHCHECK command passes while the gateway answers, even with every backend down, and fails when it does not', async () => {
  const deadPort = await findFreePort();
  const harness = await startGateway(testConfig([{ name: 'down', url: `http://127.0.0.1:${deadPort}`, type: 'vllm', priority: 50 }]));
  try {
    const health = (await (await fetch(`${harness.url}/health`)).json()) as { status: string };
    assert.equal(health.status, 'unhealthy');
    assert.equal(await runHealthcheck(Number(new URL(harness.url).port)), 0);
  } finally {
    await harness.close();
  }
  assert.equal(await runHealthcheck(deadPort), 1);
});

test('with NEXUS_HEALTHCHECK_SCHEME=https the HEALTHCHECK passes against a gateway serving TLS', { skip: HAS_OPENSSL ? false : 'openssl not installed; .ci/run installs it' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nexus-docker-tls-'));
  const { cert, key } = makeCertificate(dir);
  const harness = await startGateway(testConfig([], (c) => (c.server.tls = { cert_file: cert, key_file: key })));
  const port = Number(new URL(harness.url).port);
  try {
    assert.equal(await runHealthcheck(port, { NEXUS_HEALTHCHECK_SCHEME: 'https' }), 0);
    assert.equal(await runHealthcheck(port), 1, 'plain HTTP to a TLS port fails');
  } finally {
    await harness.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the container runs `nexus serve`', () => {
  assert.deepEqual(findFinalArgs('ENTRYPOINT'), ['["nexus"]']);
  assert.deepEqual(findFinalArgs('CMD'), ['["serve"]']);
});

test('no secret is baked into the image and .dockerignore keeps local state out of the build', () => {
  for (const { keyword, args } of instructions.filter((i) => i.keyword === 'ENV' || i.keyword === 'ARG')) {
    assert.doesNotMatch(args, /(KEY|TOKEN|SECRET|PASSWORD)\w*[= ]/i, `${keyword} ${args}`);
  }
  assert.doesNotMatch(text, /\b(sk-[A-Za-z0-9]{8,}|AKIA[A-Z0-9]{12,}|BEGIN [A-Z ]*PRIVATE KEY)/);
  const ignored = readFileSync(projectPath('.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
  for (const entry of ['.git', 'node_modules', 'dist', 'nexus.json', '*.env', '*.key', '*.pem']) assert.ok(ignored.includes(entry), entry);
});
