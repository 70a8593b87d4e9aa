// Header sets on generated input (SPEC 2, 2.2): whatever a client sends, the request id the gateway
// uses is at most 64 visible ASCII characters (the client's when it qualifies), and the headers it
// sends upstream are ones node:http accepts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateHeaderName, validateHeaderValue } from 'node:http';
import fc from 'fast-check';
import { buildUpstreamHeaders } from '../../src/proxy/upstream-request.js';
import { resolveRequestId } from '../../src/server/request-id.js';
import { headerSet } from './arbitraries.js';

const ACCEPTABLE_ID = /^[\x21-\x7e]{1,64}$/;

test('any header set yields a usable request id and valid upstream headers', () => {
  fc.assert(
    fc.property(headerSet, fc.boolean(), (headers, stream) => {
      const id = resolveRequestId(headers);
      assert.match(id, ACCEPTABLE_ID);
      const given = headers['x-request-id'];
      if (given !== undefined && ACCEPTABLE_ID.test(given)) assert.equal(id, given);
      const upstream = buildUpstreamHeaders(id, stream, Buffer.from('{}'), null, headers);
      for (const [name, value] of Object.entries(upstream)) {
        validateHeaderName(name);
        validateHeaderValue(name, String(value));
      }
      assert.equal(upstream.authorization, headers.authorization);
    }),
    { numRuns: 6000 },
  );
});
