// Serves the live dashboard (SPEC 6): `GET /` and the page's assets under `/dashboard/`, read once
// from the package's `src/dashboard/page/` and sent with a `default-src 'self'` policy.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The page's policy: scripts, styles and fetches from this origin only; no inline code, no CDN. */
export const DASHBOARD_CSP = "default-src 'self'";

/** Path prefix of every asset the page loads. */
export const DASHBOARD_ASSET_PREFIX = '/dashboard/';

/** Content type of each kind of asset; files of any other kind in the page folder are not served. */
export const DASHBOARD_CONTENT_TYPES: ReadonlyMap<string, string> = new Map([
  ['.html', 'text/html; charset=utf-8'],
  ['.css', 'text/css; charset=utf-8'],
  ['.js', 'text/javascript; charset=utf-8'],
]);

const INDEX_FILE = 'index.html';

// The assets are not compiled: they stay in `src/dashboard/page/` of the package, while this module
// runs from `dist/src/dashboard/`. Beside the module comes first so running from sources also works.
const PAGE_DIR_CANDIDATES = ['./page/', '../../../src/dashboard/page/'];

/** A dashboard route handler (the gateway's route table accepts it as is). */
export type DashboardHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Options of `createDashboardHandler`. */
export interface DashboardOptions {
  /** Folder holding index.html and its assets; found next to this module by default. */
  pageDir?: string;
}

/** Finds the folder holding the page for a module at `moduleUrl`; throws naming every place tried. */
export function findPageDir(moduleUrl: string = import.meta.url): string {
  const tried: string[] = [];
  for (const candidate of PAGE_DIR_CANDIDATES) {
    const dir = fileURLToPath(new URL(candidate, moduleUrl));
    if (existsSync(join(dir, INDEX_FILE))) return dir;
    tried.push(dir);
  }
  throw new Error(`dashboard page not found (looked for ${INDEX_FILE} in ${tried.join(', ')})`);
}

function createAssetHandler(body: Buffer, contentType: string): DashboardHandler {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  const common = {
    'content-security-policy': DASHBOARD_CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
    etag,
  };
  const full = { ...common, 'content-type': contentType, 'content-length': String(body.length) };
  return (req, res) => {
    // `no-cache` makes the browser revalidate on every load; an unchanged file costs a 304.
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, common);
      res.end();
      return;
    }
    res.writeHead(200, full);
    res.end(body);
  };
}

/** Builds the dashboard's handlers keyed by path: `/` for the page, `/dashboard/<file>` for each asset. */
export function createDashboardHandler(options: DashboardOptions = {}): ReadonlyMap<string, DashboardHandler> {
  const dir = options.pageDir ?? findPageDir();
  const handlers = new Map<string, DashboardHandler>();
  for (const file of readdirSync(dir).sort()) {
    const contentType = DASHBOARD_CONTENT_TYPES.get(extname(file));
    if (contentType === undefined) continue;
    const path = file === INDEX_FILE ? '/' : DASHBOARD_ASSET_PREFIX + file;
    handlers.set(path, createAssetHandler(readFileSync(join(dir, file)), contentType));
  }
  if (!handlers.has('/')) throw new Error(`dashboard page not found: ${join(dir, INDEX_FILE)}`);
  return handlers;
}
