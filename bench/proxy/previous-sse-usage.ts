// The SSE usage scanner as it was before the strip-mode fast path (kept as evidence for
// bench/proxy/sse-usage.bench.ts): strip mode split every chunk into lines, decoded each, and concatenated.

import { readUsage, type TokenUsage } from '../../src/proxy/usage.js';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const USAGE_MARK = Buffer.from('"usage"');
const DATA_PREFIX = 'data:';
// Longest line kept while waiting for its end; longer lines are relayed but not inspected.
const MAX_SSE_LINE_BYTES = 1024 * 1024;

/** The previous scanner: strip mode decodes and re-concatenates every line of every chunk. */
export class PreviousSseUsageScanner implements TokenUsage {
  /** Prompt tokens reported, -1 until seen. */
  promptTokens = -1;
  /** Completion tokens reported, -1 until seen. */
  completionTokens = -1;
  private readonly strip: boolean;
  private carry: Buffer | null = null;
  private dropNextBlank = false;

  /** `strip`: remove usage-only chunks (the gateway requested usage; the client did not). */
  constructor(strip: boolean) {
    this.strip = strip;
  }

  /** Feeds one upstream chunk; returns the bytes to relay now (the chunk itself unless stripping). */
  feed(chunk: Buffer): Buffer {
    const data = this.carry === null ? chunk : Buffer.concat([this.carry, chunk]);
    const lastNewline = data.lastIndexOf(NEWLINE);
    if (lastNewline === -1) {
      this.carry = data.length > MAX_SSE_LINE_BYTES ? null : data;
      return this.strip ? (this.carry === null ? data : EMPTY) : chunk;
    }
    const complete = data.subarray(0, lastNewline + 1);
    const tail = data.length - lastNewline - 1;
    // A tail already over the cap is relayed now and never inspected, like any over-long line.
    const overflow = tail > MAX_SSE_LINE_BYTES ? data.subarray(lastNewline + 1) : null;
    this.carry = tail > 0 && overflow === null ? Buffer.from(data.subarray(lastNewline + 1)) : null;
    if (!this.strip) {
      // Fast path: nothing to parse unless the bytes mention usage at all.
      if (complete.indexOf(USAGE_MARK) !== -1) for (const line of splitLines(complete)) this.inspect(line);
      return chunk;
    }
    const kept: Buffer[] = [];
    for (const line of splitLines(complete)) {
      const text = line.toString('utf8');
      if (this.dropNextBlank && text.trim() === '') {
        this.dropNextBlank = false;
        continue;
      }
      this.dropNextBlank = false;
      if (this.inspect(line) && isUsageOnly(text)) {
        this.dropNextBlank = true;
        continue;
      }
      kept.push(line);
    }
    if (overflow !== null) kept.push(overflow);
    return kept.length === 1 ? (kept[0] as Buffer) : Buffer.concat(kept);
  }

  /**
   * Ends the stream: inspects an unterminated last line and returns what is still to relay (in strip
   * mode that line unless it is usage-only; otherwise nothing, as `feed` relayed the chunk whole).
   */
  flush(): Buffer {
    const rest = this.carry;
    this.carry = null;
    if (rest === null) return EMPTY;
    const hadUsage = this.inspect(rest);
    if (!this.strip) return EMPTY;
    return hadUsage && isUsageOnly(rest.toString('utf8')) ? EMPTY : rest;
  }

  // Returns true when the line carried a usage object.
  private inspect(line: Buffer): boolean {
    // Over the cap is over the cap however the line arrived (held, or whole in one big chunk).
    if (contentBytes(line) > MAX_SSE_LINE_BYTES || line.indexOf(USAGE_MARK) === -1) return false;
    const text = line.toString('utf8').trim();
    if (!text.startsWith(DATA_PREFIX)) return false;
    try {
      return readUsage(JSON.parse(text.slice(DATA_PREFIX.length)), this);
    } catch {
      return false;
    }
  }
}

const EMPTY = Buffer.alloc(0);

function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = bytes.indexOf(NEWLINE); i !== -1; i = bytes.indexOf(NEWLINE, start)) {
    lines.push(bytes.subarray(start, i + 1));
    start = i + 1;
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
}

// A line's length without its terminator (LF or CRLF).
function contentBytes(line: Buffer): number {
  let end = line.length;
  if (end > 0 && line[end - 1] === NEWLINE) end--;
  if (end > 0 && line[end - 1] === CARRIAGE_RETURN) end--;
  return end;
}

function isUsageOnly(text: string): boolean {
  try {
    const chunk = JSON.parse(text.trim().slice(DATA_PREFIX.length)) as { choices?: unknown };
    return Array.isArray(chunk.choices) && chunk.choices.length === 0;
  } catch {
    return false;
  }
}
