// Progress lines for the long-running benchmarks (issue 12 item 9: never silent for a minute):
// written to stderr with the time since the bench started, so stdout stays the Markdown report.

const started = performance.now();

/** Prints one progress line to stderr, e.g. `[  12.3 s] gateway, 1000 streams: round 2 of 3`. */
export function progress(message: string): void {
  const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[${seconds} s] ${message}\n`);
}

/**
 * Runs `work`, printing `label` when it starts and `still running` every `everyMs` until it ends,
 * so even one long measurement shows it is alive.
 */
export async function withProgress<T>(label: string, work: () => Promise<T>, everyMs = 10_000): Promise<T> {
  progress(label);
  const begun = performance.now();
  const timer = setInterval(() => progress(`  ... ${label}: still running (${((performance.now() - begun) / 1000).toFixed(0)} s)`), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
