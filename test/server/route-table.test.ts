// The dispatch table: exact routes, prefix routes, the 404 and 405 answers (with Allow), HEAD served
// by GET, and query strings that never change which route matches.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../src/errors/gateway-error.js';
import { RouteTable, type Handler } from '../../src/server/route-table.js';

const chat: Handler = () => {};
const listModels: Handler = () => {};
const retrieveModel: Handler = () => {};
const health: Handler = () => {};
const headHealth: Handler = () => {};

function table(): RouteTable {
  return new RouteTable().on('POST', '/v1/chat/completions', chat).on('GET', '/v1/models', listModels).onPrefix('GET', '/v1/models/', retrieveModel).on('GET', '/health', health);
}

/** Runs `match` expecting a GatewayError; returns it. */
function refusal(routes: RouteTable, method: string, url: string): GatewayError {
  try {
    routes.match(method, url);
  } catch (error) {
    assert.ok(error instanceof GatewayError, `threw ${String(error)}`);
    return error;
  }
  assert.fail(`${method} ${url} matched`);
}

test('an exact path and method find their handler', () => {
  const routes = table();
  assert.equal(routes.match('POST', '/v1/chat/completions'), chat);
  assert.equal(routes.match('GET', '/v1/models'), listModels);
  assert.equal(routes.match('GET', '/health'), health);
});

test('a path longer than a prefix finds the prefix handler; the exact route wins over it', () => {
  const routes = table();
  assert.equal(routes.match('GET', '/v1/models/llama3:8b'), retrieveModel);
  assert.equal(routes.match('GET', '/v1/models/org/model'), retrieveModel);
  assert.equal(routes.match('GET', '/v1/models'), listModels);
});

test('the bare prefix itself is not a prefix match', () => {
  assert.equal(refusal(table(), 'GET', '/v1/models/').code, 'not_found');
});

test('an unknown path is not_found (404)', () => {
  const error = refusal(table(), 'GET', '/v1/nothing');
  assert.equal(error.code, 'not_found');
  assert.equal(error.status, 404);
  assert.equal(refusal(table(), 'GET', '/health/').code, 'not_found');
  assert.equal(refusal(table(), 'GET', '/HEALTH').code, 'not_found');
});

test('a known path with the wrong method is method_not_allowed (405) with Allow listing its methods', () => {
  const post = refusal(table(), 'GET', '/v1/chat/completions');
  assert.equal(post.code, 'method_not_allowed');
  assert.equal(post.status, 405);
  assert.equal(post.headers.allow, 'POST');
  const routes = table().on('DELETE', '/health', health);
  assert.equal(refusal(routes, 'PUT', '/health').headers.allow, 'GET, DELETE, HEAD');
  assert.equal(refusal(table(), 'POST', '/v1/models/some-model').headers.allow, 'GET, HEAD');
});

test('HEAD falls back to the GET handler, unless HEAD has its own', () => {
  assert.equal(table().match('HEAD', '/health'), health);
  assert.equal(table().match('HEAD', '/v1/models/m'), retrieveModel);
  assert.equal(table().on('HEAD', '/health', headHealth).match('HEAD', '/health'), headHealth);
  assert.equal(refusal(table(), 'HEAD', '/v1/chat/completions').code, 'method_not_allowed');
});

test('a query string never changes which route matches', () => {
  const routes = table();
  assert.equal(routes.match('GET', '/health?verbose=1'), health);
  assert.equal(routes.match('GET', '/v1/models/m?x=/y'), retrieveModel);
  assert.equal(routes.match('GET', '/v1/models?'), listModels);
  assert.equal(refusal(routes, 'GET', '/nope?/health').code, 'not_found');
  assert.equal(refusal(routes, 'GET', '/v1/chat/completions?stream=true').code, 'method_not_allowed');
});

test('methods are matched case-sensitively, as HTTP defines them', () => {
  assert.equal(refusal(table(), 'post', '/v1/chat/completions').code, 'method_not_allowed');
});
