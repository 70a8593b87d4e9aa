// Reading a body with a hard cap, on real sockets: refused by its declared length, cut off while
// streaming, broken off by the peer, exactly at the limit, over the shared budget, too slow.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ByteBudget } from '../../src/http/byte-budget.js';
import { BodyAbortedError, readBody, type ReadBodyOptions } from '../../src/http/read-body.js';
import { connect, exchangeRaw } from '../support/raw-http.js';

class TooLarge extends Error {}
class OverBudget extends Error {}
class TimedOut extends Error {}

/** What the one readBody call on the server side came to. */
interface Outcome {
  body: Buffer | null;
  error: unknown;
}

/**
 * Starts a server whose one request is read with `readBody(limit, options)`; answers 200 with the
 * body's length or 413, so the client side can also check the socket stayed usable.
 */
async function withReader(limit: number, options: ReadBodyOptions, run: (port: number, outcome: Promise<Outcome>) => Promise<void>): Promise<void> {
  let report!: (outcome: Outcome) => void;
  const outcome = new Promise<Outcome>((resolve) => (report = resolve));
  const server = http.createServer((req: IncomingMessage, res) => {
    readBody(req, limit, () => new TooLarge(), options).then(
      (body) => {
        report({ body, error: null });
        res.end(String(body.length));
      },
      (error: unknown) => {
        report({ body: null, error });
        if (!res.destroyed) res.writeHead(413, { connection: 'close' }).end('refused');
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run((server.address() as AddressInfo).port, outcome);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

test('a body of exactly the limit is read whole, across several chunks', async () => {
  await withReader(10, {}, async (port, outcome) => {
    const { response } = await exchangeRaw(port, 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n4\r\nabcd\r\n6\r\nefghij\r\n0\r\n\r\n');
    const { body, error } = await outcome;
    assert.equal(error, null);
    assert.equal(body?.toString(), 'abcdefghij');
    assert.equal(response.status, 200);
  });
});

test('a body one byte over the limit is refused while streaming, without a Content-Length', async () => {
  await withReader(10, {}, async (port, outcome) => {
    const { response } = await exchangeRaw(port, 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n7\r\nefghijk\r\n0\r\n\r\n');
    assert.ok((await outcome).error instanceof TooLarge);
    assert.equal(response.status, 413);
  });
});

test('a declared Content-Length over the limit is refused before any body byte arrives', async () => {
  await withReader(10, {}, async (port, outcome) => {
    const socket = await connect(port);
    socket.on('error', () => {});
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n');
    const { error } = await outcome;
    assert.ok(error instanceof TooLarge);
    socket.destroy();
  });
});

test('a body that breaks off before its declared length rejects with BodyAbortedError', async () => {
  await withReader(100, {}, async (port, outcome) => {
    const socket = await connect(port);
    socket.on('error', () => {});
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\nonly twenty bytes...');
    await new Promise((resolve) => setTimeout(resolve, 20));
    socket.destroy();
    const { error } = await outcome;
    assert.ok(error instanceof BodyAbortedError);
    assert.equal(error.code, 'ECONNRESET');
  });
});

test('each chunk is reserved on the lease; over the shared budget it fails and gives the bytes back', async () => {
  const budget = new ByteBudget(8);
  const lease = budget.lease();
  await withReader(100, { lease, overBudget: () => new OverBudget() }, async (port, outcome) => {
    const socket = await connect(port);
    socket.on('error', () => {});
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n');
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(budget.used, 5, 'the first chunk is held on the budget');
    socket.write('5\r\nfghij\r\n0\r\n\r\n');
    assert.ok((await outcome).error instanceof OverBudget);
    assert.equal(budget.used, 0);
    assert.equal(lease.held, 0);
    socket.destroy();
  });
});

test('a read that succeeds keeps its bytes on the lease until the request releases them', async () => {
  const budget = new ByteBudget(1000);
  const lease = budget.lease();
  await withReader(100, { lease }, async (port, outcome) => {
    await exchangeRaw(port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\nConnection: close\r\n\r\nhello, world');
    assert.equal((await outcome).body?.toString(), 'hello, world');
    assert.equal(lease.held, 12);
    lease.release();
    assert.equal(budget.used, 0);
  });
});

test('a body still incomplete at the deadline rejects with the timeout error', async () => {
  await withReader(100, { timeoutMs: 50, timedOut: () => new TimedOut() }, async (port, outcome) => {
    const socket = await connect(port);
    socket.on('error', () => {});
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc');
    assert.ok((await outcome).error instanceof TimedOut);
    socket.destroy();
  });
});
