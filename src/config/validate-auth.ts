// Validation of the access-control part of the configuration (SPEC 8): API keys by name, where
// their secrets come from (an environment variable or a file, never the config itself), scopes,
// model allow-lists and rate limits; and the TLS files of `server.tls`.

import { sanitizeLabelValue } from '../metrics/index.js';
import { ConfigError } from './config-error.js';
import { SCOPES, type AuthKeyConfig, type NexusConfig, type Scope } from './types.js';

type Json = Record<string, unknown>;

const KEY_FIELDS = ['name', 'api_key_env', 'key_file', 'scopes', 'models', 'rate_limit_rpm'];
// Fields an operator might write the secret itself into: refused outright, never just warned about.
const SECRET_FIELDS = ['key', 'api_key', 'secret', 'token', 'value'];

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireString(source: string, path: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new ConfigError(source, path, 'must be a non-empty string');
  return value;
}

function validateKey(source: string, path: string, raw: unknown, warnings: string[]): AuthKeyConfig {
  if (!isObject(raw)) throw new ConfigError(source, path, 'must be an object');
  for (const field of Object.keys(raw)) {
    if (SECRET_FIELDS.includes(field)) throw new ConfigError(source, `${path}.${field}`, 'secrets never go in the config: use api_key_env or key_file');
    if (!KEY_FIELDS.includes(field) && !field.startsWith('//')) warnings.push(`${source}: unknown key ${path}.${field} (ignored)`);
  }
  const key: AuthKeyConfig = { name: requireString(source, `${path}.name`, raw.name), scopes: [] };
  if ((raw.api_key_env === undefined) === (raw.key_file === undefined)) throw new ConfigError(source, path, 'needs exactly one of api_key_env or key_file');
  if (raw.api_key_env !== undefined) key.api_key_env = requireString(source, `${path}.api_key_env`, raw.api_key_env);
  if (raw.key_file !== undefined) key.key_file = requireString(source, `${path}.key_file`, raw.key_file);
  if (!Array.isArray(raw.scopes) || raw.scopes.length === 0) throw new ConfigError(source, `${path}.scopes`, `must be a non-empty array of ${SCOPES.join(', ')}`);
  for (const [i, scope] of raw.scopes.entries()) {
    if (!(SCOPES as readonly unknown[]).includes(scope)) throw new ConfigError(source, `${path}.scopes[${i}]`, `must be one of ${SCOPES.join(', ')}`);
    if (!key.scopes.includes(scope as Scope)) key.scopes.push(scope as Scope);
  }
  if (raw.models !== undefined) {
    if (!Array.isArray(raw.models)) throw new ConfigError(source, `${path}.models`, 'must be an array of strings');
    key.models = raw.models.map((model, i) => requireString(source, `${path}.models[${i}]`, model));
  }
  if (raw.rate_limit_rpm !== undefined) {
    const rpm = raw.rate_limit_rpm;
    if (typeof rpm !== 'number' || !Number.isInteger(rpm) || rpm < 1 || rpm > 1_000_000) throw new ConfigError(source, `${path}.rate_limit_rpm`, 'must be an integer from 1 to 1000000');
    key.rate_limit_rpm = rpm;
  }
  return key;
}

/** Validates `auth` into `config.auth`; key names must be unique, also once sanitized as labels. */
export function validateAuth(raw: unknown, source: string, config: NexusConfig, warnings: string[]): void {
  if (raw === undefined) return;
  if (!isObject(raw)) throw new ConfigError(source, 'auth', 'must be an object');
  for (const field of Object.keys(raw)) if (field !== 'keys' && !field.startsWith('//')) warnings.push(`${source}: unknown key auth.${field} (ignored)`);
  if (raw.keys === undefined) return;
  if (!Array.isArray(raw.keys)) throw new ConfigError(source, 'auth.keys', 'must be an array');
  const labels = new Map<string, string>();
  for (const [i, entry] of raw.keys.entries()) {
    const key = validateKey(source, `auth.keys[${i}]`, entry, warnings);
    const label = sanitizeLabelValue(key.name);
    const clash = labels.get(label);
    if (clash !== undefined) throw new ConfigError(source, `auth.keys[${i}].name`, `${JSON.stringify(key.name)} and ${JSON.stringify(clash)} would share the metrics label ${label}`);
    labels.set(label, key.name);
    config.auth.keys.push(key);
  }
}

/** Validates `server.tls` into `config.server.tls`. */
export function validateTls(raw: unknown, source: string, config: NexusConfig): void {
  if (raw === undefined || raw === null) return;
  if (!isObject(raw)) throw new ConfigError(source, 'server.tls', 'must be an object with cert_file and key_file');
  config.server.tls = {
    cert_file: requireString(source, 'server.tls.cert_file', raw.cert_file),
    key_file: requireString(source, 'server.tls.key_file', raw.key_file),
  };
}
