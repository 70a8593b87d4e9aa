// Renders a prom-client registry in the shape the strict test parser reads: prom-client puts a blank
// line between families (allowed, refused by our parser on purpose) and spells NaN `Nan` (an empty
// event-loop delay window gives a NaN mean), which Prometheus's float parser happens to accept.

import type { Registry as PromRegistry } from 'prom-client';

/** Starts a prom-client scrape (its collect callbacks run synchronously now) and returns its text. */
export async function renderPromClient(registry: PromRegistry): Promise<string> {
  return (await registry.metrics()).replace(/\n\n+/g, '\n').replace(/ Nan$/gm, ' NaN');
}
