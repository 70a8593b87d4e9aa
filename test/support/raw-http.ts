// Raw-socket HTTP for protocol edge cases fetch cannot produce: malformed requests, slow or
// aborted uploads, clients that stop reading. Parses just enough of a response to assert on it.

import net from 'node:net';

/** A response read from a raw socket. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Connects to the gateway on loopback. */
export function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Parses one HTTP/1.1 response (Content-Length bodies; the rest of the text otherwise). */
export function parseRawResponse(text: string): RawResponse {
  const end = text.indexOf('\r\n\r\n');
  if (end === -1) throw new Error(`no complete response head in ${JSON.stringify(text.slice(0, 200))}`);
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine ?? '')?.[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = text.slice(end + 4);
  const length = headers['content-length'];
  return { status, headers, body: length === undefined ? rest : rest.slice(0, Number(length)) };
}

/** Writes `bytes` and reads until the server closes the socket (or `ms` pass: then it rejects). */
export async function exchangeRaw(port: number, bytes: string | Buffer, ms = 5000): Promise<{ text: string; response: RawResponse }> {
  const socket = await connect(port);
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`server did not close within ${ms} ms; got ${JSON.stringify(text.slice(0, 200))}`));
    }, ms);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      try {
        resolve({ text, response: parseRawResponse(text) });
      } catch (error) {
        reject(error);
      }
    });
    socket.write(bytes);
  });
}

/** Reads from `socket` until a complete response head and Content-Length body arrived. */
export function readResponse(socket: net.Socket, ms = 5000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => done(new Error(`no complete response within ${ms} ms: ${JSON.stringify(text.slice(0, 200))}`)), ms);
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('utf8');
      const end = text.indexOf('\r\n\r\n');
      if (end === -1) return;
      const parsed = parseRawResponse(text);
      const length = Number(parsed.headers['content-length'] ?? 0);
      if (Buffer.byteLength(text.slice(end + 4)) >= length) done(null, parsed);
    };
    const onClose = (): void => done(new Error(`socket closed before a complete response: ${JSON.stringify(text.slice(0, 200))}`));
    const done = (error: Error | null, response?: RawResponse): void => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      if (error !== null) reject(error);
      else resolve(response as RawResponse);
    };
    socket.on('data', onData);
    socket.once('close', onClose);
  });
}

/** The bytes of a POST /v1/chat/completions request with a JSON body. */
export function chatRequestBytes(body: string, extraHeaders = ''): string {
  return `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extraHeaders}\r\n${body}`;
}

/** Resolves once the socket is closed (by either side). */
export function closed(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
}
