// The default probe transport: an HTTP(S) GET with node:http, not fetch. fetch (undici) refuses the
// WHATWG "bad ports" (6000, 6665-6669, 10080, ...), so a backend listening there could never be healthy.
// Errors carry only a class (`ECONNREFUSED`, `timeout`), never a message that could hold a secret.

import http from 'node:http';
import https from 'node:https';

/** Performs an HTTP GET; resolves to status and parsed JSON (undefined if not JSON); `signal` aborts it. */
export type ProbeFetch = (url: string, headers: Record<string, string>, signal: AbortSignal) => Promise<{ status: number; json: unknown }>;

/** Largest probe answer read; a model list is a few KB, anything far larger is not one. */
export const MAX_PROBE_BYTES = 4 * 1024 * 1024;

/** An error of a probe, with the class shown as `last_error`. */
export class ProbeError extends Error {
  /** `ECONNREFUSED`, `timeout`, `ERR_INVALID_CHAR`, ... */
  readonly code: string;

  /** Builds the error; the message is the class itself. */
  constructor(code: string) {
    super(code);
    this.code = code;
  }
}

/** Performs the GET; resolves with the status and the parsed JSON (undefined when the body is not JSON). */
export const httpGetJson: ProbeFetch = (url, headers, signal) =>
  new Promise((resolve, reject) => {
    let settled = false;
    const fail = (code: string): void => {
      if (settled) return;
      settled = true;
      reject(new ProbeError(code));
    };
    let request: http.ClientRequest;
    try {
      const target = new URL(url);
      // No keep-alive: a probe every few seconds gains nothing from an idle socket kept open.
      request = (target.protocol === 'https:' ? https : http).get(target, { headers, agent: false, signal });
    } catch (error) {
      fail((error as NodeJS.ErrnoException).code ?? 'invalid request');
      return;
    }
    request.on('error', (error: NodeJS.ErrnoException) => fail(signal.aborted ? 'timeout' : (error.code ?? 'connection error')));
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_PROBE_BYTES) return void response.destroy(new ProbeError('answer too large'));
        chunks.push(chunk);
      });
      response.on('error', (error: NodeJS.ErrnoException) => fail(signal.aborted ? 'timeout' : (error.code ?? 'connection error')));
      response.on('end', () => {
        if (settled) return;
        settled = true;
        let json: unknown;
        try {
          json = JSON.parse(Buffer.concat(chunks, size).toString('utf8'));
        } catch {
          json = undefined;
        }
        resolve({ status: response.statusCode ?? 0, json });
      });
    });
  });
