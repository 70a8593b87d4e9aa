import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ATTEMPT_OUTCOMES, ATTEMPT_OUTCOME_INDEX, attemptOutcomeForStatus, isAttemptFailure } from '../../src/errors/attempt-outcome.js';

test('the outcome list is exactly the SPEC list, indexed in order', () => {
  assert.deepEqual([...ATTEMPT_OUTCOMES], ['success', 'client_error', 'busy', 'server_error', 'timeout', 'connect_error', 'invalid_response', 'interrupted', 'cancelled']);
  ATTEMPT_OUTCOMES.forEach((outcome, i) => assert.equal(ATTEMPT_OUTCOME_INDEX[outcome], i));
});

test('failures are connect errors, 5xx, timeouts, unparseable answers and cut streams; busy, 4xx and cancelled are not', () => {
  const failures = ATTEMPT_OUTCOMES.filter(isAttemptFailure);
  assert.deepEqual(failures, ['server_error', 'timeout', 'connect_error', 'invalid_response', 'interrupted']);
});

test('upstream statuses map to outcomes: 429 and 503 are busy, other 5xx server errors, 4xx client errors', () => {
  assert.equal(attemptOutcomeForStatus(200), 'success');
  assert.equal(attemptOutcomeForStatus(400), 'client_error');
  assert.equal(attemptOutcomeForStatus(404), 'client_error');
  assert.equal(attemptOutcomeForStatus(429), 'busy');
  assert.equal(attemptOutcomeForStatus(503), 'busy');
  assert.equal(attemptOutcomeForStatus(500), 'server_error');
  assert.equal(attemptOutcomeForStatus(502), 'server_error');
});
