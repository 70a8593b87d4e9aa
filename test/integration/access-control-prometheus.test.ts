// A real Prometheus server scrapes a gateway with access control on: with the `metrics` key in its
// scrape config the target is up; without it the target is down with the gateway's 401.

import assert from 'node:assert/strict';
import test from 'node:test';
import { defaultConfig } from '../../src/config/defaults.js';
import { Gateway } from '../../src/gateway/gateway.js';
import { SILENT_LOGGER } from '../../src/logging/logger.js';
import { SimulatedBackend } from '../../src/simulator/simulated-backend.js';
import { backendEntry } from '../support/gateway-harness.js';
import { PrometheusServer } from '../support/prometheus-server.js';
import { hasTool, missingToolReason } from '../support/system-tools.js';

const SKIP = hasTool('prometheus') ? false : missingToolReason('prometheus', 'prometheus');

interface Target {
  health: string;
  lastError: string;
}

async function targetOf(prometheus: PrometheusServer): Promise<Target | undefined> {
  const body = (await (await fetch(`${prometheus.url}/api/v1/targets`)).json()) as { data: { activeTargets: Target[] } };
  return body.data.activeTargets[0];
}

test('Prometheus with the metrics key scrapes the gateway; without it the target shows 401', { skip: SKIP }, async () => {
  const sim = await SimulatedBackend.start({ type: 'ollama', models: ['llama3:8b'] });
  const config = defaultConfig();
  config.server.port = 0;
  config.logging.access = false;
  config.health_check.interval_seconds = 3600;
  config.backends = [backendEntry('local', sim)];
  config.auth.keys = [
    { name: 'scraper', api_key_env: 'SCRAPE_KEY', scopes: ['metrics'] },
    { name: 'app', api_key_env: 'APP_KEY', scopes: ['chat'] },
  ];
  const gateway = new Gateway(config, { logger: SILENT_LOGGER, env: { SCRAPE_KEY: 'sk-scrape-token', APP_KEY: 'sk-app' } });
  const { port } = await gateway.start();
  const target = `127.0.0.1:${port}`;
  const withKey = await PrometheusServer.start({ targets: [target], jobName: 'nexus', bearerToken: 'sk-scrape-token' });
  const withoutKey = await PrometheusServer.start({ targets: [target], jobName: 'nexus' });
  const appKey = await PrometheusServer.start({ targets: [target], jobName: 'nexus', bearerToken: 'sk-app' });
  try {
    await withKey.waitForScrapes('nexus', 2);
    const up = await withKey.vector('up{job="nexus"}');
    assert.equal(up[0]?.value[1], '1');
    const families = await withKey.vector('count(nexus_build_info)');
    assert.equal(families[0]?.value[1], '1', 'the scraped samples are stored');
    for (const [server, status] of [[withoutKey, '401'], [appKey, '403']] as const) {
      const deadline = Date.now() + 10_000;
      let seen: Target | undefined;
      while (Date.now() < deadline) {
        seen = await targetOf(server);
        if (seen?.health === 'down') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(seen?.health, 'down');
      assert.match(seen?.lastError ?? '', new RegExp(status));
    }
  } finally {
    await Promise.all([withKey.stop(), withoutKey.stop(), appKey.stop()]);
    await gateway.stop();
    await sim.stop();
  }
});
