import assert from 'node:assert/strict';
import test from 'node:test';
import { KeyStore } from '../../src/auth/key-store.js';
import { ConfigError } from '../../src/config/config-error.js';
import type { AuthKeyConfig } from '../../src/config/types.js';

const KEYS: AuthKeyConfig[] = [
  { name: 'alice', api_key_env: 'ALICE_KEY', scopes: ['chat'] },
  { name: 'ops', key_file: '/etc/nexus/ops.key', scopes: ['admin'] },
];

function files(map: Record<string, string>): (path: string) => string {
  return (path) => {
    const text = map[path];
    if (text === undefined) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    return text;
  };
}

test('keys load from the environment and from files, and a bearer header finds its key', () => {
  const store = new KeyStore(KEYS, { ALICE_KEY: 'sk-alice' }, files({ '/etc/nexus/ops.key': 'sk-ops\n' }));
  assert.equal(store.enabled, true);
  assert.equal(store.authenticate('Bearer sk-alice')?.name, 'alice');
  assert.equal(store.authenticate('bearer   sk-ops')?.name, 'ops', 'scheme is case-insensitive and the file newline is trimmed');
  assert.equal(store.authenticate('Bearer sk-wrong'), null);
  assert.equal(store.authenticate('sk-alice'), null, 'a bare key is not a bearer token');
  assert.equal(store.authenticate(undefined), null);
});

test('scopes: admin implies chat and metrics; model allow-lists accept the name or its resolution', () => {
  const store = new KeyStore(
    [
      { name: 'admin', api_key_env: 'A', scopes: ['admin'] },
      { name: 'scraper', api_key_env: 'S', scopes: ['metrics'] },
      { name: 'small', api_key_env: 'M', scopes: ['chat'], models: ['gpt-4o-mini'] },
    ],
    { A: 'a', S: 's', M: 'm' },
  );
  const [admin, scraper, small] = store.keys;
  assert.ok(admin?.hasScope('chat') && admin.hasScope('metrics') && admin.hasScope('admin'));
  assert.ok(scraper?.hasScope('metrics') && !scraper.hasScope('chat') && !scraper.hasScope('admin'));
  assert.ok(small?.allowsModel('gpt-4o-mini', 'llama3:8b'));
  assert.ok(small?.allowsModel('other', 'gpt-4o-mini'));
  assert.ok(!small?.allowsModel('llama3:70b', 'llama3:70b'));
});

test('a missing or empty secret is a start-up error naming the key path, never a secret', () => {
  assert.throws(() => new KeyStore(KEYS, {}, files({ '/etc/nexus/ops.key': 'x' })), (e: unknown) => e instanceof ConfigError && e.path === 'auth.keys[0].api_key_env');
  assert.throws(() => new KeyStore(KEYS, { ALICE_KEY: '  ' }, files({})), (e: unknown) => e instanceof ConfigError && e.path === 'auth.keys[0].api_key_env');
  assert.throws(() => new KeyStore(KEYS, { ALICE_KEY: 'k' }, files({})), (e: unknown) => e instanceof ConfigError && /ENOENT/.test(e.message));
  assert.throws(() => new KeyStore(KEYS, { ALICE_KEY: 'k' }, files({ '/etc/nexus/ops.key': '\n' })), /is empty/);
});

test('reloading key files replaces their secrets; an unreadable file keeps the old one', () => {
  const contents: Record<string, string> = { '/etc/nexus/ops.key': 'sk-old' };
  const store = new KeyStore(KEYS, { ALICE_KEY: 'sk-alice' }, files(contents));
  contents['/etc/nexus/ops.key'] = 'sk-new';
  assert.deepEqual(store.reloadKeyFiles(), []);
  assert.equal(store.authenticate('Bearer sk-old'), null);
  assert.equal(store.authenticate('Bearer sk-new')?.name, 'ops');
  delete contents['/etc/nexus/ops.key'];
  assert.deepEqual(store.reloadKeyFiles(), ['ops']);
  assert.equal(store.authenticate('Bearer sk-new')?.name, 'ops');
  assert.equal(store.authenticate('Bearer sk-alice')?.name, 'alice', 'environment keys are untouched');
});

test('with no keys configured access control is off', () => {
  const store = new KeyStore([], {});
  assert.equal(store.enabled, false);
  assert.equal(store.authenticate('Bearer anything'), null);
});
