// The one rule for what a backend is sent as `Authorization`: the key named by its `api_key_env`,
// read from the environment at send time (never stored), as a bearer token.

import type { Backend } from './backend.js';

/** The `Authorization` value for this backend, or null when it has no key configured (or it is empty). */
export function authorizationFor(backend: Backend, env: NodeJS.ProcessEnv): string | null {
  const key = backend.apiKeyEnv === null ? undefined : env[backend.apiKeyEnv];
  return key ? `Bearer ${key}` : null;
}
