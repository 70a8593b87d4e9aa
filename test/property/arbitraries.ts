// fast-check generators shared by the property tests: hostile model names, chat bodies (valid or
// not), header sets and backend model lists, the inputs SPEC 2.2 says must never crash the gateway.

import fc from 'fast-check';

/** Names that find inherited properties in a plain object. */
export const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', '__defineGetter__'];

/** Model names: ordinary, prototype names, and any Unicode (controls, CJK, emoji, lone surrogates). */
export const modelName = fc.oneof(
  { arbitrary: fc.constantFrom('llama3:8b', 'qwen2:7b', 'gpt-4', 'mistral', ...PROTOTYPE_NAMES), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 24 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }), weight: 2 },
  { arbitrary: fc.stringMatching(/^[a-z0-9:._\/-]{1,30}$/), weight: 2 },
);

/** A backend's model list. */
export const modelList = fc.uniqueArray(modelName, { minLength: 1, maxLength: 6 });

const jsonValue = fc.jsonValue({ maxDepth: 3 });

/** A chat body as bytes: valid requests for `models`, and every way a body can be wrong. */
export function chatBodyBytes(models: readonly string[]): fc.Arbitrary<string> {
  const model = models.length > 0 ? fc.oneof(fc.constantFrom(...models), modelName) : modelName;
  const valid = fc
    .record({
      model,
      messages: fc.array(fc.record({ role: fc.constantFrom('user', 'system', 'assistant'), content: fc.string({ unit: 'binary', maxLength: 40 }) }), { maxLength: 3 }),
      stream: fc.boolean(),
      extra: fc.dictionary(fc.string({ maxLength: 8 }), jsonValue, { maxKeys: 3 }),
    })
    .map(({ model, messages, stream, extra }) => JSON.stringify({ ...extra, model, messages, stream }));
  return fc.oneof(
    { arbitrary: valid, weight: 6 },
    // Two "model" keys: the last one is the one routed.
    { arbitrary: fc.tuple(model, model).map(([a, b]) => `{"model":${JSON.stringify(a)},"messages":[],"model":${JSON.stringify(b)}}`), weight: 1 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 60 }), weight: 1 },
    { arbitrary: jsonValue.map((v) => JSON.stringify(v)), weight: 1 },
    { arbitrary: fc.record({ model: jsonValue, messages: jsonValue }, { requiredKeys: [] }).map((v) => JSON.stringify(v)), weight: 1 },
  );
}

const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/).filter((name) => !['content-length', 'content-type', 'transfer-encoding', 'host', 'connection', 'expect', 'upgrade', 'te', 'trailer', 'keep-alive'].includes(name));
const visible = fc.stringMatching(/^[\x21-\x7e]{0,80}$/);

/** Request headers a client may send: request ids of any length, keys, arbitrary extra headers. */
export const headerSet = fc.record(
  {
    'x-request-id': fc.oneof(visible, fc.stringMatching(/^[\x21-\x7e]{60,200}$/)),
    authorization: visible.map((v) => `Bearer ${v}`),
    extra: fc.dictionary(token, visible, { maxKeys: 4 }),
  },
  { requiredKeys: [] },
).map(({ extra, ...named }) => ({ ...(extra ?? {}), ...named }) as Record<string, string>);
