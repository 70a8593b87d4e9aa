// The chat completion request body: its type and its validation (JSON object, string `model`,
// array `messages`). The proxy owns it: it forwards these bytes, with only `model` replaced.

import { GatewayError } from '../errors/gateway-error.js';

/** The parsed client body: a JSON object with at least a string `model`. */
export type ChatBody = Record<string, unknown> & { model: string };

/** Parses and validates the body of POST /v1/chat/completions. */
export function parseChatBody(bytes: Buffer): ChatBody {
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new GatewayError('invalid_json', `Request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GatewayError('invalid_body', 'Request body must be a JSON object');
  }
  const record = body as Record<string, unknown>;
  if (typeof record.model !== 'string' || record.model === '') {
    throw new GatewayError('missing_model', 'The request must name a model: "model" is required and must be a string', 'model');
  }
  if (!Array.isArray(record.messages)) {
    throw new GatewayError('invalid_messages', '"messages" is required and must be an array', 'messages');
  }
  return record as ChatBody;
}
