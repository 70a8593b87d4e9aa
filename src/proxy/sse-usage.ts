// Reads token usage out of an SSE chat stream as it is relayed, working on bytes so a multi-byte
// character split across chunks is never decoded half. Optionally strips the usage-only chunk the
// gateway asked for on the client's behalf (`stream_options.include_usage` it did not request).

import { readUsage, type TokenUsage } from './usage.js';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const USAGE_MARK = Buffer.from('"usage"');
const DATA_PREFIX = 'data:';
/** Longest line kept while waiting for its end; longer lines are relayed but not inspected. */
export const MAX_SSE_LINE_BYTES = 1024 * 1024;

/** Scans SSE bytes for `usage` and, in strip mode, removes usage-only chunks. */
export class SseUsageScanner implements TokenUsage {
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
    const complete = lastNewline + 1 === data.length ? data : data.subarray(0, lastNewline + 1);
    const tail = data.length - lastNewline - 1;
    // A tail already over the cap is relayed now and never inspected, like any over-long line.
    const overflow = tail > MAX_SSE_LINE_BYTES ? data.subarray(lastNewline + 1) : null;
    this.carry = tail > 0 && overflow === null ? Buffer.from(data.subarray(lastNewline + 1)) : null;
    // Fast path in both modes (bench/proxy/sse-usage.bench.ts): bytes that never mention usage are
    // relayed as they are, with no line split, no decoding and no copy.
    const mentionsUsage = complete.indexOf(USAGE_MARK) !== -1;
    if (!this.strip) {
      if (mentionsUsage) for (const line of splitLines(complete)) this.inspect(line);
      return chunk;
    }
    if (!mentionsUsage && !this.dropNextBlank) return overflow === null ? complete : data;
    const kept: Buffer[] = [];
    for (const line of splitLines(complete)) {
      if (this.dropNextBlank) {
        this.dropNextBlank = false;
        if (isBlank(line)) continue;
      }
      const parsed = this.inspect(line);
      if (parsed !== undefined && isUsageOnly(parsed)) {
        this.dropNextBlank = true; // the blank line that ends the dropped event goes with it
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
    const parsed = this.inspect(rest);
    if (!this.strip) return EMPTY;
    return parsed !== undefined && isUsageOnly(parsed) ? EMPTY : rest;
  }

  // Returns the parsed event when the line is a `data:` line carrying a usage object.
  private inspect(line: Buffer): unknown {
    // Over the cap is over the cap however the line arrived (held, or whole in one big chunk).
    if (contentBytes(line) > MAX_SSE_LINE_BYTES || line.indexOf(USAGE_MARK) === -1) return undefined;
    const text = line.toString('utf8').trim();
    if (!text.startsWith(DATA_PREFIX)) return undefined;
    try {
      const parsed: unknown = JSON.parse(text.slice(DATA_PREFIX.length));
      return readUsage(parsed, this) ? parsed : undefined;
    } catch {
      return undefined;
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

// A line of only ASCII whitespace: the `\n` or `\r\n` that ends an SSE event.
function isBlank(line: Buffer): boolean {
  for (let i = 0; i < line.length; i++) {
    const byte = line[i];
    if (byte !== NEWLINE && byte !== CARRIAGE_RETURN && byte !== 0x20 && byte !== 0x09) return false;
  }
  return true;
}

function isUsageOnly(parsed: unknown): boolean {
  const choices = (parsed as { choices?: unknown }).choices;
  return Array.isArray(choices) && choices.length === 0;
}
