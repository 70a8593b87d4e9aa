import assert from 'node:assert/strict';
import test from 'node:test';
import { ERROR_CATALOGUE, ERROR_TYPES, GatewayError, createOverloadedError, errorTypeForUpstreamStatus, toGatewayError, type ErrorCode, type ErrorType } from '../../src/errors/gateway-error.js';

// SPEC section 3, error_type values, in SPEC order.
const SPEC_ERROR_TYPES = [
  'invalid_request', 'no_backend', 'no_healthy_backend', 'timeout', 'backend_error', 'parse_error', 'client_disconnected',
  'stream_interrupted', 'overloaded', 'request_timeout', 'unauthorized', 'rate_limited', 'shutdown', 'other',
];

test('the error_type list is exactly the SPEC list', () => {
  assert.deepEqual([...ERROR_TYPES], SPEC_ERROR_TYPES);
});

test('every SPEC error_type can be produced by a catalogue code', () => {
  const produced = new Set<ErrorType>();
  for (const code of Object.keys(ERROR_CATALOGUE) as ErrorCode[]) produced.add(new GatewayError(code, 'm').errorType);
  assert.deepEqual(SPEC_ERROR_TYPES.filter((type) => !produced.has(type as ErrorType)), []);
});

test('every catalogue entry has an error status and an OpenAI envelope with its code', () => {
  for (const code of Object.keys(ERROR_CATALOGUE) as ErrorCode[]) {
    const error = new GatewayError(code, 'message', 'param');
    assert.ok(error.status >= 400 && error.status < 600, code);
    assert.deepEqual(error.toJSON(), { error: { message: 'message', type: error.type, param: 'param', code } });
  }
});

test('upstream statuses map to error types in one place', () => {
  assert.equal(errorTypeForUpstreamStatus(200), null);
  assert.equal(errorTypeForUpstreamStatus(204), null);
  assert.equal(errorTypeForUpstreamStatus(400), 'invalid_request');
  assert.equal(errorTypeForUpstreamStatus(422), 'invalid_request');
  assert.equal(errorTypeForUpstreamStatus(302), 'other');
  // A busy answer every candidate gave is the fleet failing to serve, not the client's fault.
  assert.equal(errorTypeForUpstreamStatus(429), 'backend_error');
  assert.equal(errorTypeForUpstreamStatus(503), 'backend_error');
});

test('anything that is not a GatewayError becomes a detail-free internal_error', () => {
  const error = toGatewayError(new Error('secret detail'));
  assert.equal(error.code, 'internal_error');
  assert.equal(error.status, 500);
  assert.doesNotMatch(error.message, /secret/);
  const own = new GatewayError('timeout', 'late');
  assert.equal(toGatewayError(own), own);
});

test('the overloaded error of every gateway limit is a 503 with Retry-After 1 naming the limit', () => {
  const error = createOverloadedError('too many requests in flight (server.max_concurrent_requests)');
  assert.equal(error.code, 'overloaded');
  assert.equal(error.status, 503);
  assert.equal(error.errorType, 'overloaded');
  assert.deepEqual(error.headers, { 'retry-after': '1' });
  assert.match(error.message, /server\.max_concurrent_requests/);
});
