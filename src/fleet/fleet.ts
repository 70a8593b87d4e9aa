// The fleet: backends by name, and the questions routing and the endpoints ask of it.

import type { BackendConfig } from '../config/types.js';
import { Backend } from './backend.js';

/** Counts that describe the fleet right now. */
export interface FleetSummary {
  total: number;
  healthy: number;
  unhealthy: number;
  models: number;
}

/** The backend fleet: every backend, keyed by its configured name. */
export class Fleet {
  private readonly byName = new Map<string, Backend>();
  private readonly ordered: Backend[] = [];

  /** Builds the fleet from configured backends (names are unique after validation). */
  constructor(configs: readonly BackendConfig[]) {
    for (const config of configs) {
      const backend = new Backend(config);
      this.byName.set(backend.name, backend);
      this.ordered.push(backend);
    }
    this.ordered.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Every backend, sorted by name. */
  all(): readonly Backend[] {
    return this.ordered;
  }

  /** The backend with this name, if any. */
  get(name: string): Backend | undefined {
    return this.byName.get(name);
  }

  /** Healthy backends serving the model, in name order. */
  healthyFor(model: string): Backend[] {
    const out: Backend[] = [];
    for (const backend of this.ordered) if (backend.isHealthy && backend.serves(model)) out.push(backend);
    return out;
  }

  /** Whether any backend, healthy or not, is known to serve the model. */
  knows(model: string): boolean {
    for (const backend of this.ordered) if (backend.serves(model)) return true;
    return false;
  }

  /** Distinct models on healthy backends, sorted. */
  availableModels(): string[] {
    const models = new Set<string>();
    for (const backend of this.ordered) if (backend.isHealthy) for (const m of backend.models) models.add(m);
    return [...models].sort();
  }

  /** Fleet counts for /health and the fleet gauges. */
  summary(): FleetSummary {
    let healthy = 0;
    let unhealthy = 0;
    for (const backend of this.ordered) {
      if (backend.status === 'healthy') healthy++;
      else if (backend.status === 'unhealthy') unhealthy++;
    }
    return { total: this.ordered.length, healthy, unhealthy, models: this.availableModels().length };
  }
}
