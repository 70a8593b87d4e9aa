// Scrape-time fleet gauges (SPEC 3: "computed from the registry at scrape time"): one look at the
// fleet fills the totals and every per-backend gauge, so they agree with each other.

import type { Fleet } from '../fleet/fleet.js';
import type { GatewayFamilies } from './metric-families.js';

/** Builds the collector that fills the fleet gauges from `fleet`; `label` sanitizes a backend name. */
export function createFleetCollector(fleet: Fleet, label: (raw: string) => string): (families: GatewayFamilies) => void {
  return (families) => {
    const summary = fleet.summary();
    families.backendsTotal.set(summary.total);
    families.backendsHealthy.set(summary.healthy);
    families.modelsAvailable.set(summary.models);
    const now = fleet.outliers.currentTime();
    for (const backend of fleet.all()) {
      const backendLabel = label(backend.name);
      families.pending.labels(backendLabel).set(backend.pending);
      families.queued.labels(backendLabel).set(backend.queued);
      families.backendUp.labels(backendLabel).set(backend.isHealthy ? 1 : 0);
      families.backendEjected.labels(backendLabel).set(backend.isEjectedAt(now) ? 1 : 0);
      // The fleet counts ejections itself (it never goes back), so the counter is read, not incremented.
      families.backendEjections.labels(backendLabel).value = backend.ejections;
    }
  };
}
