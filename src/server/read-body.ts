// Reading a request body with a hard size limit enforced while reading: nothing past the limit is
// buffered, and a declared Content-Length over the limit is refused before reading at all.

import type { IncomingMessage } from 'node:http';
import { GatewayError } from './gateway-error.js';

/** Reads the whole body as one Buffer, or throws body_too_large once it exceeds `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = (): GatewayError => new GatewayError('body_too_large', `Request body exceeds the limit of ${limit} bytes`);
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      // Stop reading but keep the socket usable for the 413 answer; Node discards the rest.
      req.resume();
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    });
    req.on('error', (error) => {
      if (!failed) {
        failed = true;
        reject(error);
      }
    });
  });
}
