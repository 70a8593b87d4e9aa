// Candidate ordering strategies: smart (weighted priority, load and latency), round robin,
// priority only, random. Each returns a new array; the input is never reordered.

import type { RoutingStrategy } from '../config/types.js';
import type { Backend } from '../fleet/backend.js';

/** Weights of the smart score. */
export interface SmartWeights {
  priority: number;
  load: number;
  latency: number;
}

/** State a strategy keeps between requests (round-robin cursors) and its randomness source. */
export interface StrategyState {
  cursors: Map<string, number>;
  random: () => number;
}

function byName(a: Backend, b: Backend): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

// Maps a value onto 0..1 within [min, max], where a lower value scores higher.
function lowerIsBetter(value: number, min: number, max: number): number {
  return max === min ? 1 : 1 - (value - min) / (max - min);
}

/** Orders by weighted score: lower priority, fewer pending requests and lower latency score higher. */
export function orderSmart(backends: readonly Backend[], weights: SmartWeights): Backend[] {
  if (backends.length < 2) return [...backends];
  let minP = Infinity, maxP = -Infinity, minL = Infinity, maxL = -Infinity, maxPending = 0;
  for (const b of backends) {
    minP = Math.min(minP, b.priority);
    maxP = Math.max(maxP, b.priority);
    minL = Math.min(minL, b.latencyMs);
    maxL = Math.max(maxL, b.latencyMs);
    maxPending = Math.max(maxPending, b.pending);
  }
  const score = (b: Backend): number =>
    weights.priority * lowerIsBetter(b.priority, minP, maxP) +
    weights.load * lowerIsBetter(b.pending, 0, maxPending) +
    weights.latency * lowerIsBetter(b.latencyMs, minL, maxL);
  const scored = backends.map((b) => ({ b, s: score(b) }));
  scored.sort((x, y) => y.s - x.s || byName(x.b, y.b));
  return scored.map((x) => x.b);
}

/** Orders candidates for one request according to the strategy. */
export function orderCandidates(
  strategy: RoutingStrategy,
  model: string,
  backends: readonly Backend[],
  weights: SmartWeights,
  state: StrategyState,
): Backend[] {
  switch (strategy) {
    case 'smart':
      return orderSmart(backends, weights);
    case 'priority_only':
      return [...backends].sort((a, b) => a.priority - b.priority || byName(a, b));
    case 'round_robin': {
      const sorted = [...backends].sort(byName);
      const cursor = state.cursors.get(model) ?? 0;
      state.cursors.set(model, cursor + 1);
      const start = sorted.length === 0 ? 0 : cursor % sorted.length;
      return [...sorted.slice(start), ...sorted.slice(0, start)];
    }
    case 'random': {
      const shuffled = [...backends];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(state.random() * (i + 1));
        [shuffled[i], shuffled[j]] = [shuffled[j] as Backend, shuffled[i] as Backend];
      }
      return shuffled;
    }
  }
}
