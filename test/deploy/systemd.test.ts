// deploy/systemd/nexus.service: `systemd-analyze verify` finds nothing to say about it, and the
// hardening and shutdown keys SPEC 6 asks for are set.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { projectPath } from '../support/project-root.js';
import { hasTool, missingToolReason } from '../support/system-tools.js';

const UNIT = projectPath('deploy', 'systemd', 'nexus.service');

/** The unit's sections as key -> values (a key may repeat), comments and blank lines dropped. */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let section: Map<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(\w+)\]$/.exec(line)?.[1];
    if (header !== undefined) {
      section = new Map();
      sections.set(header, section);
      continue;
    }
    const eq = line.indexOf('=');
    assert.ok(section !== undefined && eq > 0, `unexpected line ${JSON.stringify(line)}`);
    const key = line.slice(0, eq);
    section.set(key, [...(section.get(key) ?? []), line.slice(eq + 1)]);
  }
  return sections;
}

const unit = parseUnit(readFileSync(UNIT, 'utf8'));

/** The last value of a key (systemd's rule for single-valued keys). */
function readValue(section: string, key: string): string | undefined {
  return unit.get(section)?.get(key)?.at(-1);
}

test('systemd-analyze verify reports nothing about the unit', { skip: hasTool('systemd-analyze') ? false : missingToolReason('systemd-analyze', 'systemd') }, () => {
  const result = spawnSync('systemd-analyze', ['verify', UNIT], { encoding: 'utf8' });
  // verify exits 0 on unknown keys and unparsable values and only prints them: any line about the
  // unit is a defect. Lines about the host's own units are not ours to judge.
  const aboutUnit = `${result.stdout}${result.stderr}`.split('\n').filter((l) => l.includes('nexus.service'));
  assert.deepEqual(aboutUnit, []);
  assert.equal(result.status, 0, result.stderr);
});

test('the unit runs `nexus serve` with a config under /etc/nexus and restarts on failure', () => {
  assert.match(readValue('Service', 'ExecStart') ?? '', /^\/usr\/bin\/env nexus serve --config \/etc\/nexus\/[\w.-]+\.json$/);
  assert.equal(readValue('Service', 'Restart'), 'on-failure');
  assert.equal(readValue('Install', 'WantedBy'), 'multi-user.target');
  assert.equal(readValue('Unit', 'After'), 'network-online.target');
});

test('only the main process gets SIGTERM, with time to drain before SIGKILL', () => {
  assert.equal(readValue('Service', 'KillMode'), 'mixed');
  assert.equal(readValue('Service', 'ExecReload'), '/bin/kill -HUP $MAINPID', 'systemctl reload re-reads the key files');
  assert.equal(readValue('Service', 'KillSignal'), 'SIGTERM');
  // The default drain is 10 s (server.shutdown_drain_seconds); stopping must not cut it short.
  assert.ok(Number(readValue('Service', 'TimeoutStopSec')) > 10);
});

test('the service runs as a dynamic user without privileges on a read-only system', () => {
  const expected: Record<string, string> = {
    DynamicUser: 'yes',
    NoNewPrivileges: 'yes',
    ProtectSystem: 'strict',
    ProtectHome: 'yes',
    PrivateTmp: 'yes',
    PrivateDevices: 'yes',
    ProtectKernelTunables: 'yes',
    ProtectKernelModules: 'yes',
    ProtectControlGroups: 'yes',
    RestrictNamespaces: 'yes',
    RestrictSUIDSGID: 'yes',
    LockPersonality: 'yes',
    CapabilityBoundingSet: '',
    RestrictAddressFamilies: 'AF_INET AF_INET6 AF_UNIX',
  };
  for (const [key, wanted] of Object.entries(expected)) assert.equal(readValue('Service', key), wanted, key);
  assert.equal(readValue('Service', 'User'), undefined, 'a fixed User= would defeat DynamicUser');
  // The dynamic user is not /etc/nexus's owner: it must still be able to enter it to read the config.
  assert.equal(readValue('Service', 'ConfigurationDirectory'), 'nexus');
  const mode = parseInt(readValue('Service', 'ConfigurationDirectoryMode') ?? '0755', 8);
  assert.equal(mode & 0o005, 0o005, 'others may read and enter /etc/nexus');
  // V8's JIT needs writable executable memory: this key would make node crash at start.
  assert.equal(readValue('Service', 'MemoryDenyWriteExecute'), undefined);
});
