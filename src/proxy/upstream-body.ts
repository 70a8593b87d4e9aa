// The bytes sent upstream for one model of a plan. SPEC 2: the client's JSON with only `model`
// replaced; when nothing needs replacing, the client's own bytes go out untouched, which is both the
// most faithful pass-through and the cheapest (no JSON.stringify on the request path).

import type { ChatBody } from './chat-body.js';

// Added in front of the client's first key when the gateway asks a stream for usage on its behalf.
const USAGE_OPTION_PREFIX = Buffer.from('{"stream_options":{"include_usage":true},');
const OPEN_BRACE = 0x7b;
const MODEL_KEY = Buffer.from('"model"');
// `\u006` starts the escape of every letter of "model" (m 6d, o 6f, d 64, e 65, l 6c).
const MODEL_LETTER_ESCAPE = Buffer.from('\\u006');

/**
 * Whether the raw bytes may hold `model` more than once (JSON.parse keeps the last, a backend's
 * parser may keep the first), so they must be rewritten for the backend to see the routed model.
 * Conservative: a second `"model"` anywhere, or a letter of it spelled as an escape, counts.
 */
export function mayRepeatModelKey(raw: Buffer): boolean {
  const first = raw.indexOf(MODEL_KEY);
  return (first !== -1 && raw.indexOf(MODEL_KEY, first + MODEL_KEY.length) !== -1) || raw.indexOf(MODEL_LETTER_ESCAPE) !== -1;
}

/**
 * Builds the upstream body for `model`. `askUsage`: make a stream report usage (the gateway counts
 * tokens), keeping whatever `stream_options` the client sent.
 */
export function buildUpstreamBody(raw: Buffer, body: ChatBody, model: string, askUsage: boolean): Buffer {
  const injectUsage = askUsage && body.stream === true && !clientAskedUsage(body);
  if (model === body.model && !mayRepeatModelKey(raw)) {
    if (!injectUsage) return raw;
    // The body is an object holding at least `model`, so a key added after its `{` keeps it valid JSON.
    if (!Object.hasOwn(body, 'stream_options')) {
      const brace = raw.indexOf(OPEN_BRACE);
      return Buffer.concat([USAGE_OPTION_PREFIX, raw.subarray(brace + 1)]);
    }
  }
  const upstream: Record<string, unknown> = { ...body, model };
  if (injectUsage) {
    const options = body.stream_options;
    if (options === undefined || options === null || typeof options === 'object') {
      upstream.stream_options = { ...(options as object | null | undefined), include_usage: true };
    }
  }
  return Buffer.from(JSON.stringify(upstream));
}

/** Whether the client itself asked for usage in its stream (then the usage chunk is theirs to keep). */
export function clientAskedUsage(body: ChatBody): boolean {
  const options = body.stream_options as { include_usage?: unknown } | null | undefined;
  return options?.include_usage === true;
}
