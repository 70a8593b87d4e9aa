// The answer to a chat request that no backend can take (SPEC 2.1): 404 `model_not_found` when no
// backend can have the model, else 503 `no_healthy_backend` with Retry-After; either way the message
// names the backends that are down and the class of their last error, never URLs or backend text.

import { GatewayError } from '../errors/gateway-error.js';
import type { Fleet } from '../fleet/fleet.js';
import type { RoutePlan } from '../routing/router.js';

/**
 * Builds the error for `plan` (which has no steps). `retryAfterSeconds` is the time to the next
 * health check (at least 1): the earliest moment the answer could change.
 */
export function buildNoRouteError(plan: RoutePlan, requested: string, fleet: Fleet, retryAfterSeconds: () => number): GatewayError {
  const down = describeDownBackends(fleet);
  // A model some backend listed, or the config names, is only unavailable; so is any model while a
  // backend's models are unknown (it never answered a probe: the model may live there).
  if (plan.known || fleet.hasUnprobed()) {
    const message = `No healthy backend serves model ${JSON.stringify(plan.resolvedModel)}${down === '' ? '' : `; down: ${down}`}`;
    return new GatewayError('no_healthy_backend', message, null, { 'retry-after': String(Math.max(1, retryAfterSeconds())) });
  }
  const message = `The model ${JSON.stringify(requested)} does not exist on any backend${down === '' ? '' : ` that is up; down: ${down}`}`;
  return new GatewayError('model_not_found', message, 'model');
}

/** `name: class` of every backend not healthy by its health check, e.g. `local-ollama: ECONNREFUSED`; '' when none. */
export function describeDownBackends(fleet: Fleet): string {
  const parts: string[] = [];
  for (const backend of fleet.down()) parts.push(`${backend.name}: ${backend.lastError ?? 'not checked yet'}`);
  return parts.join(', ');
}
