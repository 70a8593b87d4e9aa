// The byte-level SSE usage scanner: usage read from lines cut anywhere (multi-byte characters
// included), the usage-only chunk stripped in strip mode, over-long lines relayed uninspected.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_SSE_LINE_BYTES, SseUsageScanner } from '../../src/proxy/sse-usage.js';

const event = (payload: unknown): string => `data: ${JSON.stringify(payload)}\n\n`;
const ROLE = event({ id: 'c', choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] });
const CONTENT = event({ id: 'c', choices: [{ index: 0, delta: { content: 'Héllo 🌍 — ü' } }] });
const FINISH = event({ id: 'c', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
const USAGE_ONLY = event({ id: 'c', choices: [], usage: { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 } });
const DONE = 'data: [DONE]\n\n';
const STREAM = ROLE + CONTENT + FINISH + USAGE_ONLY + DONE;
const STRIPPED = ROLE + CONTENT + FINISH + DONE;

/** Feeds the chunks, then flushes; returns every byte the scanner gave back to relay. */
function relay(scanner: SseUsageScanner, chunks: readonly Buffer[]): Buffer {
  const out: Buffer[] = [];
  for (const chunk of chunks) out.push(scanner.feed(chunk));
  out.push(scanner.flush());
  return Buffer.concat(out);
}

/** Splits bytes at the given offsets. */
function cut(bytes: Buffer, ...offsets: number[]): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  for (const offset of offsets) {
    parts.push(bytes.subarray(start, offset));
    start = offset;
  }
  parts.push(bytes.subarray(start));
  return parts;
}

test('usage is read from a line split across two chunks at every byte offset', () => {
  const bytes = Buffer.from(STREAM);
  for (let offset = 1; offset < bytes.length; offset++) {
    const scanner = new SseUsageScanner(false);
    const out = relay(scanner, cut(bytes, offset));
    assert.deepEqual(out, bytes, `offset ${offset}`);
    assert.equal(scanner.promptTokens, 12, `offset ${offset}`);
    assert.equal(scanner.completionTokens, 9, `offset ${offset}`);
  }
});

test('strip mode cut inside multi-byte characters relays the exact bytes minus the usage chunk', () => {
  const bytes = Buffer.from(STREAM);
  const contentStart = Buffer.byteLength(ROLE);
  const multiByte: number[] = [];
  for (let i = contentStart; i < contentStart + Buffer.byteLength(CONTENT); i++) if ((bytes[i] as number) >= 0x80) multiByte.push(i);
  assert.ok(multiByte.length > 8, 'the stream holds multi-byte characters to cut through');
  for (const offset of multiByte) {
    const scanner = new SseUsageScanner(true);
    const out = relay(scanner, cut(bytes, offset, offset + 1, Math.min(offset + 3, bytes.length - 1)));
    assert.deepEqual(out, Buffer.from(STRIPPED), `offset ${offset}`);
    assert.ok(!out.toString('utf8').includes('\ufffd'));
    assert.equal(scanner.promptTokens, 12);
  }
});

test('strip mode removes the usage-only chunk and its blank line, even when they arrive apart', () => {
  const scanner = new SseUsageScanner(true);
  const usageLine = USAGE_ONLY.slice(0, -1);
  const out = relay(scanner, [Buffer.from(ROLE + FINISH + usageLine), Buffer.from('\n' + DONE)]);
  assert.equal(out.toString('utf8'), ROLE + FINISH + DONE);
  assert.equal(scanner.promptTokens, 12);
  assert.equal(scanner.completionTokens, 9);
});

test('strip mode removes a usage-only chunk framed with CRLF', () => {
  const scanner = new SseUsageScanner(true);
  const crlf = (text: string): string => text.replace(/\n/g, '\r\n');
  const out = relay(scanner, [Buffer.from(crlf(FINISH + USAGE_ONLY + DONE))]);
  assert.equal(out.toString('utf8'), crlf(FINISH + DONE));
  assert.equal(scanner.completionTokens, 9);
});

test('strip mode keeps a chunk that carries choices as well as usage', () => {
  const withChoices = event({ id: 'c', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 4 } });
  const scanner = new SseUsageScanner(true);
  const out = relay(scanner, [Buffer.from(ROLE + withChoices + DONE)]);
  assert.equal(out.toString('utf8'), ROLE + withChoices + DONE);
  assert.equal(scanner.promptTokens, 3);
  assert.equal(scanner.completionTokens, 4);
});

test('without strip mode the client keeps its own usage chunk, and it is counted', () => {
  const scanner = new SseUsageScanner(false);
  const chunk = Buffer.from(STREAM);
  const relayed = scanner.feed(chunk);
  assert.ok(relayed === chunk, 'the chunk is relayed as it came, not copied');
  assert.equal(scanner.flush().length, 0);
  assert.equal(scanner.promptTokens, 12);
  assert.equal(scanner.completionTokens, 9);
});

test('counts stay -1 when the stream reports no usage, and a bad usage line is ignored', () => {
  const scanner = new SseUsageScanner(true);
  const broken = 'data: {"usage": {"prompt_tokens": 5,\n\n';
  const out = relay(scanner, [Buffer.from(ROLE + broken + DONE)]);
  assert.equal(out.toString('utf8'), ROLE + broken + DONE);
  assert.equal(scanner.promptTokens, -1);
  assert.equal(scanner.completionTokens, -1);
});

/** A usage-only event whose line is padded to exactly `lineBytes` bytes before its newline. */
function paddedUsageLine(lineBytes: number): string {
  const head = 'data: {"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":8},"pad":"';
  const tail = '"}';
  return head + 'x'.repeat(lineBytes - head.length - tail.length) + tail;
}

test('a line of exactly MAX_SSE_LINE_BYTES held across chunks is still inspected', () => {
  const line = paddedUsageLine(MAX_SSE_LINE_BYTES);
  const scanner = new SseUsageScanner(true);
  const out = relay(scanner, [Buffer.from(line), Buffer.from('\n\n' + DONE)]);
  assert.equal(out.toString('utf8'), DONE);
  assert.equal(scanner.promptTokens, 7);
});

test('a line over MAX_SSE_LINE_BYTES is relayed whole but not inspected, in either mode', () => {
  const line = paddedUsageLine(MAX_SSE_LINE_BYTES + 1);
  const bytes = Buffer.from(ROLE + line + '\n\n' + DONE);
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += 65_536) chunks.push(bytes.subarray(offset, offset + 65_536));
  for (const strip of [true, false]) {
    const scanner = new SseUsageScanner(strip);
    assert.deepEqual(relay(scanner, chunks), bytes, `strip ${strip}`);
    assert.equal(scanner.promptTokens, -1, `strip ${strip}`);
  }
});

test('strip mode relays at once an unterminated tail already over the cap', () => {
  const tail = Buffer.alloc(MAX_SSE_LINE_BYTES + 1, 0x61);
  const scanner = new SseUsageScanner(true);
  const out = scanner.feed(Buffer.concat([Buffer.from(ROLE), tail]));
  assert.equal(out.length, Buffer.byteLength(ROLE) + tail.length);
  assert.equal(scanner.flush().length, 0);
});

test('flush returns an unterminated last line in strip mode and counts its usage', () => {
  const last = 'data: {"choices":[{"index":0,"delta":{}}],"usage":{"prompt_tokens":1,"completion_tokens":2}}';
  const scanner = new SseUsageScanner(true);
  assert.equal(scanner.feed(Buffer.from(ROLE + last)).toString('utf8'), ROLE);
  assert.equal(scanner.flush().toString('utf8'), last);
  assert.equal(scanner.flush().length, 0);
  assert.equal(scanner.completionTokens, 2);
});

test('flush drops an unterminated usage-only last line in strip mode', () => {
  const scanner = new SseUsageScanner(true);
  const out = relay(scanner, [Buffer.from(FINISH + USAGE_ONLY.trimEnd())]);
  assert.equal(out.toString('utf8'), FINISH);
  assert.equal(scanner.promptTokens, 12);
});

test('without strip mode an unterminated last line is relayed exactly once and still counted', () => {
  const bytes = Buffer.from(FINISH + USAGE_ONLY.trimEnd());
  const scanner = new SseUsageScanner(false);
  assert.deepEqual(relay(scanner, cut(bytes, 10)), bytes);
  assert.equal(scanner.completionTokens, 9);
});

test('strip mode relays a chunk that never mentions usage as the same buffer, not a copy', () => {
  const scanner = new SseUsageScanner(true);
  const chunk = Buffer.from(CONTENT);
  assert.equal(scanner.feed(chunk), chunk);
});

test('strip mode keeps a blank line that does not follow a usage-only chunk', () => {
  const scanner = new SseUsageScanner(true);
  const out = relay(scanner, [Buffer.from(CONTENT), Buffer.from('\n'), Buffer.from(DONE)]);
  assert.equal(out.toString('utf8'), CONTENT + '\n' + DONE);
});

test('strip mode keeps a chunk whose content only mentions "usage"', () => {
  const scanner = new SseUsageScanner(true);
  const mention = event({ id: 'c', choices: [{ index: 0, delta: { content: 'the "usage" field' } }] });
  assert.equal(relay(scanner, [Buffer.from(mention)]).toString('utf8'), mention);
  assert.equal(scanner.promptTokens, -1);
});

test('strip mode relays the same bytes however the stream is cut into chunks', () => {
  const bytes = Buffer.from(STREAM);
  fc.assert(
    fc.property(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 12 }), (offsets) => {
      const scanner = new SseUsageScanner(true);
      const out = relay(scanner, cut(bytes, ...offsets.sort((a, b) => a - b)));
      assert.deepEqual(out, Buffer.from(STRIPPED));
      assert.equal(scanner.completionTokens, 9);
    }),
  );
});
