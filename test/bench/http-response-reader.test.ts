import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpResponseReader } from '../../bench/client/http-response-reader.js';
import { buildGetRequest, KeepAliveConnection, runLoad } from '../../bench/client/load-generator.js';

// The load generator's numbers are only as good as its reading of where each response ends.

function feedBytewise(reader: HttpResponseReader, raw: string): number {
  const bytes = Buffer.from(raw);
  for (let i = 0; i < bytes.length; i++) if (reader.feed(bytes.subarray(i, i + 1))) return i + 1;
  return -1;
}

test('a content-length response ends after exactly its body, even fed one byte at a time', () => {
  const raw = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello';
  const reader = new HttpResponseReader();
  assert.equal(feedBytewise(reader, raw), Buffer.byteLength(raw));
  assert.equal(reader.status, 200);
  assert.equal(reader.bodyBytes, 5);
});

test('a chunked response ends after the last chunk and trailers, with extensions ignored', () => {
  const raw = 'HTTP/1.1 502 Bad Gateway\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\ndata\r\nA\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n';
  const reader = new HttpResponseReader();
  assert.equal(feedBytewise(reader, raw), Buffer.byteLength(raw));
  assert.equal(reader.status, 502);
  assert.equal(reader.bodyBytes, 14);
  reader.reset();
  assert.equal(reader.feed(Buffer.from(raw)), true);
});

test('a response without framing is refused', () => {
  assert.throws(() => new HttpResponseReader().feed(Buffer.from('HTTP/1.1 200 OK\r\n\r\n')), /neither content-length nor chunked/);
});

test('the load generator reuses its connections and counts every response', async () => {
  let connections = 0;
  const server: Server = createServer((req, res) => {
    if (req.url === '/stream') {
      res.write('a');
      res.end('b');
    } else {
      res.writeHead(req.url === '/fail' ? 500 : 200, { 'content-length': 2 }).end('ok');
    }
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const result = await runLoad({ port, requests: [buildGetRequest('/'), buildGetRequest('/stream'), buildGetRequest('/fail')], concurrency: 3, durationMs: 200 });
    assert.ok(result.ok > 10);
    assert.equal(result.latenciesMs.length, result.ok + result.failed);
    assert.ok(Math.abs(result.failed - result.ok / 2) <= 3, `${result.failed} failed of ${result.ok + result.failed}`);
    assert.equal(connections, 3);
    const single = new KeepAliveConnection(port);
    await single.opened();
    assert.equal((await single.request(buildGetRequest('/stream'))).bodyBytes, 2);
    single.close();
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
