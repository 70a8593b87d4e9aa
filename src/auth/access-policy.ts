// Which scope each endpoint needs (SPEC 8). Open paths need no key; every other path needs a valid
// key, and the listed ones a scope as well. Unknown paths need only a valid key (then answer 404),
// so the route table is never probed without one.

import type { Scope } from '../config/types.js';

/** What a request needs: nothing, any valid key, or a valid key with a scope. */
export type AccessRequirement = 'open' | 'key' | Scope;

/** Path of chat completions, the one route counted as a chat request. */
export const CHAT_PATH = '/v1/chat/completions';

const SCOPED: ReadonlyMap<string, Scope> = new Map<string, Scope>([
  [CHAT_PATH, 'chat'],
  ['/v1/models', 'chat'],
  ['/metrics', 'metrics'],
  ['/v1/stats', 'admin'],
  ['/v1/backends', 'admin'],
]);

// Liveness, readiness and the dashboard page and its assets (the page holds no data: the JSON it
// polls needs `admin`). test/dashboard/dashboard-handler.test.ts checks every asset is listed.
const OPEN = new Set([
  '/health', '/ready', '/',
  '/dashboard/dashboard.js', '/dashboard/dashboard.css', '/dashboard/chart.js', '/dashboard/format.js', '/dashboard/tables.js',
]);

/** The requirement of a request path (query string already removed). */
export function findAccessRequirement(path: string): AccessRequirement {
  if (OPEN.has(path)) return 'open';
  const scope = SCOPED.get(path);
  if (scope !== undefined) return scope;
  if (path.startsWith('/v1/models/')) return 'chat';
  return 'key';
}
