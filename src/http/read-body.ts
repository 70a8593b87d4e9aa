// Reading an HTTP body (a client's request or a backend's answer) with a hard size limit enforced
// while reading: nothing past the limit is buffered, and a declared Content-Length over the limit
// is refused before reading at all.

import type { IncomingMessage } from 'node:http';

/**
 * Reads the whole body as one Buffer. Rejects with `tooLarge()` once it exceeds `limit` bytes (the
 * rest is drained, not buffered, so the socket stays usable), and with the stream's own error if it
 * breaks off before its end.
 */
export function readBody(stream: IncomingMessage, limit: number, tooLarge: () => Error): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(stream.headers['content-length']);
    if (declared > limit) {
      stream.resume();
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    const fail = (error: Error): void => {
      if (failed) return;
      failed = true;
      chunks.length = 0;
      reject(error);
    };
    stream.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) return fail(tooLarge());
      chunks.push(chunk);
    });
    stream.on('end', () => {
      if (!failed) resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    });
    stream.on('error', fail);
    stream.on('close', () => {
      if (!stream.complete) fail(new Error('connection closed before the body was complete'));
    });
  });
}
