// The router: resolves aliases, then builds the ordered plan of (model, backends) to try, the
// requested model first and then its fallback chain.

import type { NexusConfig } from '../config/types.js';
import type { Backend } from '../fleet/backend.js';
import type { Fleet } from '../fleet/fleet.js';
import { resolveAlias } from '../config/aliases.js';
import { orderCandidates, type StrategyState } from './strategies.js';

/** One model of a plan with the healthy backends to try for it, best first. */
export interface PlanStep {
  model: string;
  backends: Backend[];
  /** Whether the config or a backend's model list names the model (else it is a client string: label `_unknown`). */
  known: boolean;
}

/** What the router decided for one request. */
export interface RoutePlan {
  /** The requested model after alias resolution. */
  resolvedModel: string;
  /** Whether any backend (healthy or not) or the config knows the resolved model. */
  known: boolean;
  /** Steps with at least one healthy backend, the resolved model first, then its fallbacks in order. */
  steps: PlanStep[];
}

/** Routes requests over the backend fleet with the configured strategy, aliases and fallbacks. */
export class Router {
  private readonly fleet: Fleet;
  private readonly routing: NexusConfig['routing'];
  private readonly state: StrategyState;

  /** Builds a router; `random` may be injected for deterministic tests. */
  constructor(fleet: Fleet, routing: NexusConfig['routing'], random: () => number = Math.random) {
    this.fleet = fleet;
    this.routing = routing;
    this.state = { cursors: new Map(), random };
  }

  /** Resolves a requested name through the alias table. */
  resolve(model: string): string {
    return resolveAlias(this.routing.aliases, model);
  }

  /** Whether the config or any backend knows this (already resolved) model. */
  isKnown(model: string): boolean {
    return this.fleet.knows(model) || Object.hasOwn(this.routing.fallbacks, model) || Object.values(this.routing.aliases).includes(model);
  }

  /** Builds the plan for a requested model. */
  plan(requested: string): RoutePlan {
    const resolvedModel = this.resolve(requested);
    const chain = [resolvedModel];
    // Own properties only: a client's "constructor" must not find Object.prototype.constructor (SPEC 2.2).
    const fallbacks = Object.hasOwn(this.routing.fallbacks, resolvedModel) ? (this.routing.fallbacks[resolvedModel] as string[]) : [];
    for (const fallback of fallbacks) {
      const model = this.resolve(fallback);
      if (!chain.includes(model)) chain.push(model);
    }
    const steps: PlanStep[] = [];
    for (const model of chain) {
      const routable = this.fleet.routableFor(model);
      if (routable.length > 0) {
        const backends = orderCandidates(this.routing.strategy, model, routable, this.routing.weights, this.state);
        steps.push({ model, backends, known: model !== resolvedModel || this.isKnown(model) });
      }
    }
    return { resolvedModel, known: this.isKnown(resolvedModel), steps };
  }
}
