import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatBody } from '../../src/proxy/chat-body.js';
import { buildUpstreamBody, clientAskedUsage } from '../../src/proxy/upstream-body.js';

function request(json: string): { raw: Buffer; body: ChatBody } {
  const raw = Buffer.from(json);
  return { raw, body: JSON.parse(json) as ChatBody };
}

test('the client bytes go out untouched when the model is served as named', () => {
  const { raw, body } = request('{"model":"m","messages":[], "seed": 1.50}');
  assert.equal(buildUpstreamBody(raw, body, 'm', true), raw);
  const stream = request('{"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[]}');
  assert.equal(buildUpstreamBody(stream.raw, stream.body, 'm', true), stream.raw);
});

test('a stream gets include_usage added in front of the client keys, everything else byte for byte', () => {
  const { raw, body } = request('  {"model":"m","stream":true,"messages":[{"role":"user","content":"é"}]}');
  const out = buildUpstreamBody(raw, body, 'm', true).toString();
  assert.equal(out, '{"stream_options":{"include_usage":true},"model":"m","stream":true,"messages":[{"role":"user","content":"é"}]}');
  assert.deepEqual(JSON.parse(out).stream_options, { include_usage: true });
});

test('no usage is asked for when metrics are off', () => {
  const { raw, body } = request('{"model":"m","stream":true,"messages":[]}');
  assert.equal(buildUpstreamBody(raw, body, 'm', false), raw);
});

test('client stream_options are kept and merged with include_usage', () => {
  const { raw, body } = request('{"model":"m","stream":true,"stream_options":{"continuous_usage_stats":false},"messages":[]}');
  const out = JSON.parse(buildUpstreamBody(raw, body, 'm', true).toString());
  assert.deepEqual(out.stream_options, { continuous_usage_stats: false, include_usage: true });
});

test('an alias or fallback replaces only the model', () => {
  const { raw, body } = request('{"model":"gpt-4","messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"function"}],"x":1}');
  const out = JSON.parse(buildUpstreamBody(raw, body, 'llama3:8b', true).toString());
  assert.deepEqual(out, { model: 'llama3:8b', messages: [{ role: 'user', content: 'Hi' }], tools: [{ type: 'function' }], x: 1 });
});

test('clientAskedUsage reads stream_options.include_usage only when it is true', () => {
  assert.equal(clientAskedUsage({ model: 'm', stream_options: { include_usage: true } }), true);
  assert.equal(clientAskedUsage({ model: 'm', stream_options: { include_usage: 'yes' } }), false);
  assert.equal(clientAskedUsage({ model: 'm', stream_options: null }), false);
  assert.equal(clientAskedUsage({ model: 'm' }), false);
});
