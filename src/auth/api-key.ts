// One configured API key as the gateway holds it: its name, scopes, model allow-list and rate
// limit, and the SHA-256 digest of its secret (the secret itself is not kept).

import { createHash } from 'node:crypto';
import type { AuthKeyConfig, Scope } from '../config/types.js';
import { SlidingWindowLimiter } from './sliding-window-limiter.js';

// SPEC 8: the rate limit is a sliding 60-second window.
const RATE_WINDOW_MS = 60_000;

/** The SHA-256 digest of a secret: what keys are compared on, in constant time. */
export function digestSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** A configured key. */
export class ApiKey {
  /** The configured name: the only identity of the key in labels, logs and stats. */
  readonly name: string;
  /** Where the secret comes from (for reloads). */
  readonly config: AuthKeyConfig;
  /** SHA-256 of the current secret; replaced when a key file is re-read. */
  digest: Buffer;
  /** Chat rate limit, or null when unlimited. */
  readonly limiter: SlidingWindowLimiter | null;
  private readonly scopes: ReadonlySet<Scope>;
  private readonly models: ReadonlySet<string> | null;

  /** Builds the key from its config and its current secret. */
  constructor(config: AuthKeyConfig, secret: string) {
    this.name = config.name;
    this.config = config;
    this.digest = digestSecret(secret);
    this.scopes = new Set(config.scopes);
    this.models = config.models === undefined ? null : new Set(config.models);
    this.limiter = config.rate_limit_rpm === undefined ? null : new SlidingWindowLimiter(config.rate_limit_rpm, RATE_WINDOW_MS);
  }

  /** Whether the key holds `scope`; `admin` implies every other scope. */
  hasScope(scope: Scope): boolean {
    return this.scopes.has(scope) || this.scopes.has('admin');
  }

  /** Whether the key may use a model, asked by `requested` and resolved (through aliases) to `resolved`. */
  allowsModel(requested: string, resolved: string): boolean {
    return this.models === null || this.models.has(requested) || this.models.has(resolved);
  }
}
