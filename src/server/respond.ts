// Writing responses: JSON bodies and the OpenAI error envelope, the only place errors become bytes.

import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { GatewayError } from '../errors/gateway-error.js';

/** Content type of every JSON response. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Sends a JSON body with the given status and extra headers. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': JSON_CONTENT_TYPE, 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

/** Sends an error as the OpenAI envelope, unless headers already went out. */
export function sendError(res: ServerResponse, error: GatewayError, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  sendJson(res, error.status, error.toJSON(), { ...headers, ...error.headers });
}

/**
 * The raw HTTP/1.1 bytes of an error answer, for a connection node:http could not parse a request
 * from (malformed request line, headers too large or too slow): there is no response object, and
 * the connection closes after it.
 */
export function renderRawError(error: GatewayError): string {
  const payload = JSON.stringify(error.toJSON());
  return (
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}\r\n` +
    `content-type: ${JSON_CONTENT_TYPE}\r\ncontent-length: ${Buffer.byteLength(payload)}\r\nconnection: close\r\n\r\n${payload}`
  );
}
