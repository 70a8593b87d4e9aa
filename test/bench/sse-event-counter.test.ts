import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SseEventCounter } from '../../bench/streams/sse-event-counter.js';

// The stream bench's chunk timings are only as good as its finding where each SSE event ends.

const STREAM = 'data: {"a":1}\n\ndata: {"b":2}\n\n: comment\n\ndata: [DONE]\n\n';

test('counts each event once, whole or fed one byte at a time', () => {
  const whole = new SseEventCounter();
  assert.equal(whole.feed(Buffer.from(STREAM)), 4);
  const bytewise = new SseEventCounter();
  const bytes = Buffer.from(STREAM);
  const completions: number[] = [];
  for (let i = 0; i < bytes.length; i++) if (bytewise.feed(bytes, i, i + 1) > 0) completions.push(i);
  assert.equal(bytewise.events, 4);
  // Each event completes at the second newline of its terminator, not before.
  assert.deepEqual(
    completions,
    [...STREAM.matchAll(/\n\n/g)].map((m) => m.index! + 1),
  );
});

test('CRLF line ends work like LF, also when CR and LF arrive in different pieces', () => {
  const counter = new SseEventCounter();
  assert.equal(counter.feed(Buffer.from('data: x\r')), 0);
  assert.equal(counter.feed(Buffer.from('\n\r')), 0);
  assert.equal(counter.feed(Buffer.from('\ndata: y\r\n\r\n')), 2);
});

test('an event split over pieces completes in the piece that holds its blank line', () => {
  const counter = new SseEventCounter();
  assert.equal(counter.feed(Buffer.from('data: {"long":')), 0);
  assert.equal(counter.feed(Buffer.from('"value"}\n')), 0);
  assert.equal(counter.feed(Buffer.from('\ndata: next')), 1);
});

test('blank lines before any field are not events, and reset starts over', () => {
  const counter = new SseEventCounter();
  assert.equal(counter.feed(Buffer.from('\n\n\r\n')), 0);
  counter.feed(Buffer.from('data: a\n'));
  counter.reset();
  assert.equal(counter.feed(Buffer.from('\n')), 0);
  assert.equal(counter.events, 0);
});

test('feeds only the given range of a buffer', () => {
  const counter = new SseEventCounter();
  const data = Buffer.from('xxdata: a\n\nyy');
  assert.equal(counter.feed(data, 2, 11), 1);
  assert.equal(counter.feed(Buffer.from('data: a\n\n'), 0, 8), 0);
});
