#!/usr/bin/env node
// The `nexus` command: serve, config init, and backends|models|health against a running gateway.
// The only place that calls process.exit.

import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError } from './config/config-error.js';
import { EXAMPLE_CONFIG } from './config/example.js';
import { loadConfig } from './config/load.js';
import { startDemo } from './demo/demo.js';
import { Gateway } from './gateway/gateway.js';
import { createLogger, type Logger } from './logging/logger.js';
import { ClusterPrimary } from './cluster/primary.js';
import type { NexusConfig } from './config/types.js';
import { availableParallelism } from 'node:os';
import { VERSION } from './version.js';

const HELP = `nexus ${VERSION}: an observable OpenAI-compatible gateway for local LLM servers

Usage:
  nexus serve [--config FILE] [--host H] [--port N] [--backend NAME=URL[@TYPE]]... [--log-level L] [--workers N|auto]
  nexus config init [--output FILE] [--force]
  nexus demo [--host H] [--port N] [--interval SECONDS]   simulated fleet + traffic + live summary
  nexus backends|models|health [--url http://host:port] [--api-key KEY] [--json]
                      health exits 0 healthy or degraded, 1 unhealthy, 2 unreachable
  nexus --help | --version

Config: --config FILE, else $NEXUS_CONFIG, else ./nexus.json, else defaults (one Ollama backend
at http://127.0.0.1:11434). Environment: NEXUS_HOST, NEXUS_PORT, NEXUS_CONFIG, NEXUS_LOG_LEVEL,
NEXUS_API_KEY (the key backends|models|health send when the gateway has access control on).
`;

class UsageError extends Error {}

async function serve(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      backend: { type: 'string', multiple: true },
      'log-level': { type: 'string' },
      workers: { type: 'string' },
    },
  });
  const loaded = loadConfig({
    ...(values.config !== undefined ? { config: values.config } : {}),
    ...(values.host !== undefined ? { host: values.host } : {}),
    ...(values.port !== undefined ? { port: values.port } : {}),
    ...(values['log-level'] !== undefined ? { logLevel: values['log-level'] } : {}),
    ...(values.backend !== undefined ? { backends: values.backend } : {}),
    ...(values.workers !== undefined ? { workers: values.workers } : {}),
  });
  const logger = createLogger(loaded.config.logging.level);
  for (const warning of loaded.warnings) logger.warn(warning);
  logger.info('configuration loaded', { file: loaded.file ?? 'defaults', backends: loaded.config.backends.map((b) => b.name) });
  const workers = loaded.config.server.workers === 'auto' ? availableParallelism() : loaded.config.server.workers;
  if (workers > 1) return serveGroup(loaded.config, workers, logger);
  const gateway = new Gateway(loaded.config, { logger });
  // First SIGINT/SIGTERM: graceful drain, exit 0. A second one: exit at once (SPEC 2.2).
  const shutdown = (signal: string): void => {
    if (gateway.isDraining) {
      logger.warn('second signal: exiting now', { signal });
      process.exit(1);
    }
    logger.info('shutting down', { signal, drain_seconds: loaded.config.server.shutdown_drain_seconds });
    void gateway.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  // SIGHUP re-reads the key files (SPEC 8) and is otherwise logged and ignored: Node's default would exit.
  process.on('SIGHUP', () => {
    logger.info('SIGHUP received: re-reading key files');
    gateway.reloadKeys();
  });
  // Handlers first: a signal arriving during start-up must still shut down cleanly.
  try {
    await gateway.start();
  } catch (error) {
    throw new UsageError(describeListenError(error, loaded.config.server.host, loaded.config.server.port));
  }
}

// One line for the ways listening fails; anything else keeps its stack (a bug, not a setting).
function describeListenError(error: unknown, host: string, port: number): string {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${host}:${port}`;
  if (code === 'EADDRINUSE') return `cannot listen on ${where}: the port is in use (another nexus? choose one with --port)`;
  if (code === 'EACCES') return `cannot listen on ${where}: permission denied (ports below 1024 need privileges)`;
  if (code === 'EADDRNOTAVAIL') return `cannot listen on ${where}: ${host} is not an address of this machine (--host)`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'ERR_INVALID_IP_ADDRESS') {
    return `cannot listen on ${where}: ${JSON.stringify(host)} is not a valid host (--host)`;
  }
  throw error;
}

// `server.workers` > 1: this process is the primary of a node:cluster group (src/cluster/primary.ts).
async function serveGroup(config: NexusConfig, workers: number, logger: Logger): Promise<void> {
  const primary = new ClusterPrimary(config, workers, logger);
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) {
      // A second signal: no more waiting for the drain.
      primary.kill();
      process.exit(1);
    }
    stopping = true;
    logger.info('shutting down', { signal, workers });
    void primary.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGHUP', () => primary.reloadKeys());
  await primary.start();
}

async function demo(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string', default: '8000' }, interval: { type: 'string', default: '5' } } });
  const port = Number(values.port);
  const interval = Number(values.interval);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, got ${JSON.stringify(values.port)}`);
  if (!(interval > 0)) throw new UsageError(`--interval must be a positive number of seconds, got ${JSON.stringify(values.interval)}`);
  let running;
  try {
    running = await startDemo({ host: values.host as string, port, summaryIntervalMs: interval * 1000 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UsageError(`port ${port} is in use: try nexus demo --port 8010`);
    throw error;
  }
  const shutdown = (): void => void running.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

function configInit(args: string[]): void {
  const { values } = parseArgs({ args, options: { output: { type: 'string', default: 'nexus.json' }, force: { type: 'boolean', default: false } } });
  const output = values.output as string;
  if (existsSync(output) && values.force !== true) throw new UsageError(`${output} already exists (use --force to overwrite)`);
  writeFileSync(output, EXAMPLE_CONFIG);
  process.stdout.write(`wrote ${output}\n`);
}

function defaultUrl(): string {
  return `http://${process.env.NEXUS_HOST ?? '127.0.0.1'}:${process.env.NEXUS_PORT ?? '8000'}`;
}

async function query(command: 'backends' | 'models' | 'health', args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { url: { type: 'string' }, 'api-key': { type: 'string' }, json: { type: 'boolean', default: false } } });
  const apiKey = values['api-key'] ?? process.env.NEXUS_API_KEY;
  const headers: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
  const base = (values.url ?? defaultUrl()).replace(/\/+$/, '');
  const path = command === 'backends' ? '/v1/backends' : command === 'models' ? '/v1/models' : '/health';
  let response: Response;
  try {
    response = await fetch(base + path, { headers });
  } catch (error) {
    throw new UsageError(`cannot reach a gateway at ${base}: ${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}`);
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) throw new UsageError(describeRefusal(`${base}${path}`, response.status, command, apiKey !== undefined && apiKey !== ''));
  // `nexus health` exits 0 healthy or degraded, 1 unhealthy (2, unreachable, is thrown above).
  if (command === 'health' && body.status === 'unhealthy') process.exitCode = 1;
  if (values.json === true) {
    process.stdout.write(JSON.stringify(body, null, 2) + '\n');
    return;
  }
  if (command === 'backends') {
    const rows = (body.backends as Record<string, unknown>[]).map((b) => [
      b.name, b.type, b.status, b.priority, b.pending, b.latency_ms, b.consecutive_attempt_failures, b.ejected_until ?? '-', b.last_error ?? '-', (b.models as string[]).join(','),
    ]);
    printTable(['NAME', 'TYPE', 'STATUS', 'PRIORITY', 'PENDING', 'LATENCY_MS', 'FAILED_IN_A_ROW', 'EJECTED_UNTIL', 'LAST_ERROR', 'MODELS'], rows);
  } else if (command === 'models') {
    printTable(['MODEL'], (body.data as { id: string }[]).map((m) => [m.id]));
  } else {
    const backends = body.backends as Record<string, number>;
    process.stdout.write(`status: ${String(body.status)}\nbackends: ${backends.healthy}/${backends.total} healthy\nmodels: ${String(body.models)}\nuptime: ${String(body.uptime_seconds)} s\n`);
  }
}

// What a refused query means for the operator: which key to pass, or which scope it lacks (SPEC 8).
function describeRefusal(where: string, status: number, command: 'backends' | 'models' | 'health', sentKey: boolean): string {
  if (status === 401) {
    return `${where} answered 401: access control is on and ${sentKey ? 'the key was not accepted' : 'no key was sent'} (pass --api-key KEY or set NEXUS_API_KEY)`;
  }
  if (status === 403) return `${where} answered 403: the key lacks the ${command === 'backends' ? 'admin' : 'chat'} scope this command needs`;
  return `${where} answered ${status}`;
}

function printTable(header: string[], rows: unknown[][]): void {
  const cells = [header, ...rows.map((r) => r.map((c) => String(c ?? '')))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  for (const row of cells) process.stdout.write(row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd() + '\n');
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  if (command === 'serve') return serve(rest);
  if (command === 'demo') return demo(rest);
  if (command === 'config' && rest[0] === 'init') return configInit(rest.slice(1));
  if (command === 'backends' || command === 'models' || command === 'health') return query(command, rest);
  throw new UsageError(`unknown command ${JSON.stringify(argv.join(' '))} (see nexus --help)`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`nexus: ${known ? (error as Error).message : String((error as Error).stack ?? error)}\n`);
  process.exit(known ? 2 : 1);
});
