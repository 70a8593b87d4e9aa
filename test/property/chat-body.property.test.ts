// The body parser on generated input (SPEC 2.2): any bytes either parse into a body with a string
// model and an array of messages, or are refused with a 400 from the catalogue. Nothing else.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { GatewayError } from '../../src/errors/gateway-error.js';
import { parseChatBody } from '../../src/proxy/chat-body.js';
import { chatBodyBytes, modelList } from './arbitraries.js';

function checkParse(bytes: Buffer): void {
  try {
    const body = parseChatBody(bytes);
    assert.equal(typeof body.model, 'string');
    assert.notEqual(body.model, '');
    assert.ok(Array.isArray(body.messages));
  } catch (error) {
    assert.ok(error instanceof GatewayError, `threw ${String(error)}`);
    assert.equal(error.status, 400);
  }
}

test('generated chat bodies parse or are refused with 400, never anything else', () => {
  fc.assert(
    fc.property(modelList.chain((models) => chatBodyBytes(models)), (text) => checkParse(Buffer.from(text, 'utf8'))),
    { numRuns: 5000 },
  );
});

test('arbitrary bytes parse or are refused with 400, never anything else', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => checkParse(Buffer.from(bytes))), { numRuns: 2000 });
});
