// The dashboard routes over real HTTP: headers, content types, revalidation, the enabled switch, and
// where the compiled handler finds the page in the package.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DASHBOARD_CSP, createDashboardHandler, findPageDir } from '../../src/dashboard/dashboard-handler.js';
import { startIdleGateway, type Harness } from '../support/gateway-harness.js';
import { projectPath } from '../support/project-root.js';

const PAGE_DIR = projectPath('src', 'dashboard', 'page');

// Every file the page loads: the stylesheet and module script named in the HTML, then every module
// those modules import (relative specifiers only: the page may load nothing from elsewhere).
function referencedAssets(html: string): string[] {
  const found = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
  for (let i = 0; i < found.length; i++) {
    const name = found[i] as string;
    if (!name.endsWith('.js')) continue;
    const source = readFileSync(join(PAGE_DIR, name.replace(/^dashboard\//, '')), 'utf8');
    for (const m of source.matchAll(/from '\.\/([^']+)'/g)) {
      const asset = `dashboard/${m[1]}`;
      if (!found.includes(asset)) found.push(asset);
    }
  }
  return found;
}

let gateway: Harness;

before(async () => {
  gateway = await startIdleGateway();
});

after(async () => {
  await gateway.close();
});

test('GET / serves the page as HTML with the CSP, nosniff and no-cache headers', async () => {
  const res = await fetch(`${gateway.url}/`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(res.headers.get('content-security-policy'), "default-src 'self'");
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('cache-control'), 'no-cache');
  const html = await res.text();
  assert.equal(html, readFileSync(join(PAGE_DIR, 'index.html'), 'utf8'));
  // The CSP forbids inline code: every script is a file, and no markup carries a style.
  assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)[^>]*>/);
  assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i);
});

test('every asset the page loads is served with its content type and the same security headers', async () => {
  const html = await (await fetch(`${gateway.url}/`)).text();
  const assets = referencedAssets(html);
  assert.ok(assets.includes('dashboard/dashboard.js') && assets.includes('dashboard/dashboard.css'), assets.join(', '));
  for (const asset of assets) {
    assert.match(asset, /^dashboard\/[a-z-]+\.(js|css)$/, 'relative, same-origin asset');
    const res = await fetch(`${gateway.url}/${asset}`);
    assert.equal(res.status, 200, asset);
    const type = asset.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8';
    assert.equal(res.headers.get('content-type'), type, asset);
    assert.equal(res.headers.get('content-security-policy'), DASHBOARD_CSP, asset);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', asset);
    assert.equal(res.headers.get('cache-control'), 'no-cache', asset);
    const body = await res.text();
    // No CDN, no web font, no remote anything (the SVG namespace is a name, never fetched).
    assert.doesNotMatch(body.replaceAll('http://www.w3.org/2000/svg', ''), /https?:\/\/|@import|url\(/, asset);
    assert.doesNotMatch(body, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/, asset);
  }
});

test('an unchanged asset revalidates with 304 and no body', async () => {
  const first = await fetch(`${gateway.url}/dashboard/dashboard.js`);
  const etag = first.headers.get('etag');
  assert.ok(etag !== null);
  await first.arrayBuffer();
  const again = await fetch(`${gateway.url}/dashboard/dashboard.js`, { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
  assert.equal(again.headers.get('content-security-policy'), DASHBOARD_CSP);
  assert.equal(await again.text(), '');
});

test('with dashboard.enabled false the page and its assets are unknown routes', async () => {
  const off = await startIdleGateway((config) => (config.dashboard.enabled = false));
  try {
    for (const path of ['/', '/dashboard/dashboard.js', '/dashboard/dashboard.css']) {
      const res = await fetch(`${off.url}${path}`);
      assert.equal(res.status, 404, path);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'not_found', path);
    }
    assert.equal((await fetch(`${off.url}/health`)).status, 200);
  } finally {
    await off.close();
  }
});

test('with access control on, the page and every asset load without a key while the stats need one', async () => {
  const guarded = await startIdleGateway((config) => (config.auth.keys = [{ name: 'ops', api_key_env: 'NEXUS_TEST_KEY', scopes: ['admin'] }]), { NEXUS_TEST_KEY: 'sk-dashboard-test' });
  try {
    for (const path of createDashboardHandler().keys()) assert.equal((await fetch(`${guarded.url}${path}`)).status, 200, path);
    assert.equal((await fetch(`${guarded.url}/v1/stats`)).status, 401);
    assert.equal((await fetch(`${guarded.url}/v1/stats`, { headers: { authorization: 'Bearer sk-dashboard-test' } })).status, 200);
  } finally {
    await guarded.close();
  }
});

test('the compiled handler finds the page in the package source folder', () => {
  assert.equal(findPageDir(), PAGE_DIR + '/');
});

test('the page folder is found beside the module or back in src/ from the compiled dist/src/ layout', () => {
  const root = mkdtempSync(join(tmpdir(), 'nexus-page-'));
  try {
    mkdirSync(join(root, 'dist', 'src', 'dashboard'), { recursive: true });
    mkdirSync(join(root, 'src', 'dashboard', 'page'), { recursive: true });
    writeFileSync(join(root, 'src', 'dashboard', 'page', 'index.html'), '<!doctype html>');
    const compiled = pathToFileURL(join(root, 'dist', 'src', 'dashboard', 'dashboard-handler.js')).href;
    assert.equal(findPageDir(compiled), join(root, 'src', 'dashboard', 'page') + '/');
    const fromSource = pathToFileURL(join(root, 'src', 'dashboard', 'dashboard-handler.ts')).href;
    assert.equal(findPageDir(fromSource), join(root, 'src', 'dashboard', 'page') + '/');
    rmSync(join(root, 'src', 'dashboard', 'page', 'index.html'));
    assert.throws(() => findPageDir(compiled), /dashboard page not found .*src\/dashboard\/page/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a page folder without index.html is refused at construction', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nexus-page-'));
  try {
    writeFileSync(join(dir, 'dashboard.js'), '');
    assert.throws(() => createDashboardHandler({ pageDir: dir }), /dashboard page not found/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('only html, css and js files of the page folder are served', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nexus-page-'));
  try {
    for (const file of ['index.html', 'a.css', 'b.js', 'notes.md', '.hidden.swp']) writeFileSync(join(dir, file), 'x');
    assert.deepEqual([...createDashboardHandler({ pageDir: dir }).keys()].sort(), ['/', '/dashboard/a.css', '/dashboard/b.js']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
