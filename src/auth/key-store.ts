// The configured API keys with their secrets loaded from the environment or key files, and the
// check of a presented key: SHA-256 digests compared with crypto.timingSafeEqual, every key every time.

import { readFileSync } from 'node:fs';
import { timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../config/config-error.js';
import type { AuthKeyConfig } from '../config/types.js';
import { ApiKey, digestSecret } from './api-key.js';

/** Reads a key file's text; injected in tests. */
export type ReadKeyFile = (path: string) => string;

const readTextFile: ReadKeyFile = (path) => readFileSync(path, 'utf8');

// `Authorization: Bearer <key>`: the scheme is case-insensitive (RFC 9110 section 11.1).
const BEARER = /^bearer[ \t]+(\S+)[ \t]*$/i;

/** Holds every key; empty when access control is off. */
export class KeyStore {
  /** Every key, in config order. */
  readonly keys: readonly ApiKey[];
  private readonly readFile: ReadKeyFile;

  /** Loads every key's secret now; a missing or empty one is a start-up error naming the key, never the secret. */
  constructor(configs: readonly AuthKeyConfig[], env: NodeJS.ProcessEnv, readFile: ReadKeyFile = readTextFile) {
    this.readFile = readFile;
    this.keys = configs.map((config, i) => new ApiKey(config, this.readSecret(config, env, `auth.keys[${i}]`)));
  }

  /** Whether access control is on (any key configured). */
  get enabled(): boolean {
    return this.keys.length > 0;
  }

  /** The key an `Authorization` header presents, or null when it is missing or matches no key. */
  authenticate(authorization: string | undefined): ApiKey | null {
    if (authorization === undefined) return null;
    const match = BEARER.exec(authorization);
    if (match === null) return null;
    const presented = digestSecret(match[1] as string);
    let found: ApiKey | null = null;
    // No early exit: every key is compared, so the time taken does not say which one matched.
    for (const key of this.keys) if (timingSafeEqual(presented, key.digest) && found === null) found = key;
    return found;
  }

  /**
   * Re-reads the key files (SIGHUP). A file that cannot be read or is empty keeps its old secret;
   * the names of such keys are returned so the caller can warn.
   */
  reloadKeyFiles(): string[] {
    const failed: string[] = [];
    for (const key of this.keys) {
      if (key.config.key_file === undefined) continue;
      try {
        const secret = this.readFile(key.config.key_file).trim();
        if (secret === '') throw new Error('empty');
        key.digest = digestSecret(secret);
      } catch {
        failed.push(key.name);
      }
    }
    return failed;
  }

  private readSecret(config: AuthKeyConfig, env: NodeJS.ProcessEnv, path: string): string {
    if (config.api_key_env !== undefined) {
      const secret = env[config.api_key_env]?.trim() ?? '';
      if (secret === '') throw new ConfigError('auth', `${path}.api_key_env`, `environment variable ${config.api_key_env} is missing or empty`);
      return secret;
    }
    const file = config.key_file as string;
    let secret: string;
    try {
      secret = this.readFile(file).trim();
    } catch (error) {
      throw new ConfigError('auth', `${path}.key_file`, `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (secret === '') throw new ConfigError('auth', `${path}.key_file`, `${file} is empty`);
    return secret;
  }
}
