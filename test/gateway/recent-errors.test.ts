import assert from 'node:assert/strict';
import test from 'node:test';
import { ChatExchange } from '../../src/gateway/chat-exchange.js';
import { RECENT_ERRORS_KEPT, RecentErrors } from '../../src/gateway/recent-errors.js';

function finished(id: string, status: number, message: string | null = null): ChatExchange {
  const ex = new ChatExchange(id, 0, null);
  ex.settle(status, status >= 400 ? 'backend_error' : null);
  ex.errorMessage = message;
  return ex;
}

test('only failed requests are kept, newest first, at most RECENT_ERRORS_KEPT', () => {
  const recent = new RecentErrors();
  recent.chatFinished(finished('ok', 200));
  assert.deepEqual(recent.list(), []);
  for (let i = 0; i < RECENT_ERRORS_KEPT + 7; i++) recent.chatFinished(finished(`e${i}`, 502, `failure ${i}`));
  const list = recent.list();
  assert.equal(list.length, RECENT_ERRORS_KEPT);
  assert.equal(list[0]?.request_id, `e${RECENT_ERRORS_KEPT + 6}`);
  assert.equal(list.at(-1)?.request_id, 'e7');
  assert.equal(list[0]?.status, 502);
  assert.equal(list[0]?.error_type, 'backend_error');
  assert.match(list[0]?.time ?? '', /^\d{4}-\d\d-\d\dT/);
});

test('client-chosen text is cut, so kept failures hold little memory', () => {
  const recent = new RecentErrors();
  const ex = finished('big', 404, 'x'.repeat(100_000));
  ex.model = 'm'.repeat(100_000);
  recent.chatFinished(ex);
  const [entry] = recent.list();
  assert.ok((entry?.message.length ?? 0) <= 257);
  assert.ok((entry?.model.length ?? 0) <= 257);
});
