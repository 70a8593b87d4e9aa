// The 20-second soak CI runs (issue 10): mixed traffic with every simulator fault and client
// misbehaviour; fails if a request is not counted exactly once, pending does not return to 0, or the
// gateway's RSS grows by more than 30 MB after warm-up. `npm run soak` is the 60-second version.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSoakResult, runSoak } from '../../bench/soak/soak.js';
import { TRAFFIC_KINDS } from '../../bench/soak/soak-traffic.js';

const SECONDS = 20;
const MAX_RSS_GROWTH_MB = 30;

test(`a ${SECONDS}-second soak counts every request, drains pending to 0 and keeps RSS flat`, async () => {
  const result = await runSoak({ seconds: SECONDS, concurrency: 32 });
  const report = formatSoakResult(result, SECONDS);
  console.log(report);
  for (const kind of TRAFFIC_KINDS) assert.ok((result.sentByKind[kind] ?? 0) > 0, `no ${kind} traffic\n${report}`);
  assert.equal(result.counted, result.sent, report);
  assert.equal(result.pendingAfter, 0, report);
  assert.ok(result.rssEndMb - result.rssWarmMb <= MAX_RSS_GROWTH_MB, report);
});
