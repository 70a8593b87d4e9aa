// How one upstream attempt ended (SPEC section 3, `nexus_upstream_attempts_total{outcome}`) and which
// of those endings count as the backend failing (SPEC 2.1, outlier ejection). One list, used by the
// proxy that classifies, the fleet that ejects, the metrics that count and the demo that summarises.

/** Every attempt outcome, in SPEC order. */
export const ATTEMPT_OUTCOMES = [
  'success',
  'client_error',
  'busy',
  'server_error',
  'timeout',
  'connect_error',
  'invalid_response',
  'interrupted',
  'cancelled',
] as const;

/** How one upstream attempt ended. */
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** Position of each outcome in ATTEMPT_OUTCOMES, so per-outcome series can live in a plain array. */
export const ATTEMPT_OUTCOME_INDEX: Readonly<Record<AttemptOutcome, number>> = Object.freeze(
  Object.fromEntries(ATTEMPT_OUTCOMES.map((outcome, i) => [outcome, i])) as Record<AttemptOutcome, number>,
);

// SPEC 2.1: a connect error, a 5xx, a timeout, an unparseable 2xx body or a cut stream is the
// backend failing; 429/503 ("busy"), 4xx and a client that left say nothing against it.
const FAILURES: ReadonlySet<AttemptOutcome> = new Set<AttemptOutcome>(['server_error', 'timeout', 'connect_error', 'invalid_response', 'interrupted']);

/** Whether the outcome counts as a failed attempt of the backend (towards ejection). */
export function isAttemptFailure(outcome: AttemptOutcome): boolean {
  return FAILURES.has(outcome);
}

/** The outcome of an attempt that got an HTTP status (2xx is `success` until its body says otherwise). */
export function attemptOutcomeForStatus(status: number): AttemptOutcome {
  if (status === 429 || status === 503) return 'busy';
  if (status >= 500) return 'server_error';
  if (status >= 400) return 'client_error';
  return 'success';
}
