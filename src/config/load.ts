// Loads the configuration: file (--config, else $NEXUS_CONFIG, else ./nexus.json if present, else
// defaults), then environment, then flags (flag > env > file > default), then validation.

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from './config-error.js';
import { DEFAULT_BACKEND_PRIORITY, LOCAL_OLLAMA_BACKEND } from './defaults.js';
import { BACKEND_TYPES, LOG_LEVELS, type BackendConfig, type BackendType, type LogLevel, type NexusConfig } from './types.js';
import { validateConfig } from './validate.js';

/** Overrides given on the command line. */
export interface ConfigFlags {
  config?: string;
  host?: string;
  port?: string;
  logLevel?: string;
  /** A worker count or `auto` (`--workers`). */
  workers?: string;
  /** `NAME=URL[@TYPE]` specs; when given they replace the file's backends. */
  backends?: string[];
}

/** A loaded configuration, where it came from, and warnings to print. */
export interface LoadedConfig {
  config: NexusConfig;
  /** The file read, or null when running on defaults. */
  file: string | null;
  warnings: string[];
}

/** Parses a `--backend NAME=URL[@TYPE]` spec. */
export function parseBackendSpec(spec: string): BackendConfig {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new ConfigError('flags', '--backend', `${JSON.stringify(spec)} must look like NAME=URL[@TYPE]`);
  const name = spec.slice(0, eq);
  let url = spec.slice(eq + 1);
  let type: BackendType = 'generic';
  const at = url.lastIndexOf('@');
  if (at > url.indexOf('//')) {
    const candidate = url.slice(at + 1);
    if ((BACKEND_TYPES as readonly string[]).includes(candidate)) {
      type = candidate as BackendType;
      url = url.slice(0, at);
    } else if (!hasUserinfo(url) || /^[a-z]+$/i.test(candidate)) {
      // A bare word after the last "@" is a mistyped type; a host (dots, a port) means user:password@host.
      throw new ConfigError('flags', '--backend', `unknown backend type ${JSON.stringify(candidate)} (one of ${BACKEND_TYPES.join(', ')})`);
    }
  }
  // Said here, naming the flag, rather than later as backends[0].url; the URL is not echoed (it holds a password).
  if (hasUserinfo(url)) {
    throw new ConfigError('flags', `--backend ${name}`, 'credentials (user:password@) are not allowed in a backend URL: use api_key_env in a config file');
  }
  return { name, url, type, priority: DEFAULT_BACKEND_PRIORITY };
}

// Whether the URL parses and carries a user name or password.
function hasUserinfo(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== '' || parsed.password !== '';
  } catch {
    return false;
  }
}

function parsePort(value: string, source: string, path: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new ConfigError(source, path, `${JSON.stringify(value)} is not a port number`);
  return port;
}

function parseLogLevel(value: string, source: string, path: string): LogLevel {
  if (!(LOG_LEVELS as readonly string[]).includes(value)) throw new ConfigError(source, path, `must be one of ${LOG_LEVELS.join(', ')}`);
  return value as LogLevel;
}

function parseWorkers(value: string): number | 'auto' {
  if (value === 'auto') return 'auto';
  const workers = Number(value);
  if (!/^\d+$/.test(value) || workers < 1 || workers > 1024) throw new ConfigError('flags', '--workers', `${JSON.stringify(value)} is not a worker count (1-1024 or auto)`);
  return workers;
}

function readConfigFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, '', `cannot read config file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, '', `invalid JSON: ${(error as Error).message}`);
  }
}

/** Loads and validates the configuration from file, environment and flags. */
export function loadConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): LoadedConfig {
  const named = flags.config ?? env.NEXUS_CONFIG;
  let file: string | null = null;
  if (named !== undefined && named !== '') file = resolve(cwd, named);
  else if (existsSync(resolve(cwd, 'nexus.json'))) file = resolve(cwd, 'nexus.json');
  const raw = file === null ? {} : readConfigFile(file);
  const { config, warnings } = validateConfig(raw, file ?? 'defaults');

  if (env.NEXUS_HOST) config.server.host = env.NEXUS_HOST;
  if (env.NEXUS_PORT) config.server.port = parsePort(env.NEXUS_PORT, 'environment', 'NEXUS_PORT');
  if (env.NEXUS_LOG_LEVEL) config.logging.level = parseLogLevel(env.NEXUS_LOG_LEVEL, 'environment', 'NEXUS_LOG_LEVEL');
  if (flags.host !== undefined) config.server.host = flags.host;
  if (flags.port !== undefined) config.server.port = parsePort(flags.port, 'flags', '--port');
  if (flags.logLevel !== undefined) config.logging.level = parseLogLevel(flags.logLevel, 'flags', '--log-level');
  if (flags.workers !== undefined) config.server.workers = parseWorkers(flags.workers);
  if (flags.backends !== undefined && flags.backends.length > 0) {
    // Re-validate through the same rules as the file, so a flag backend gets the same checks.
    const specs = flags.backends.map(parseBackendSpec);
    config.backends = validateConfig({ backends: specs }, 'flags').config.backends;
  }
  if (config.backends.length === 0) config.backends.push({ ...LOCAL_OLLAMA_BACKEND });
  return { config, file, warnings };
}
