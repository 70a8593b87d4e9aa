// The gateway's request path and HTTP surface: builds the router and the chat proxy, every endpoint
// (chat, models, fleet, metrics, stats, dashboard) and the one route table listing what it answers.

import type { NexusConfig } from '../config/types.js';
import type { Fleet } from '../fleet/fleet.js';
import type { Logger } from '../logging/logger.js';
import type { AttemptObserver } from '../proxy/attempt-record.js';
import { ChatProxy } from '../proxy/chat-proxy.js';
import type { UpstreamAgents } from '../proxy/upstream-request.js';
import { Router, type RoutePlan } from '../routing/router.js';
import { RouteTable } from '../server/route-table.js';
import { createDashboardHandler } from '../dashboard/dashboard-handler.js';
import type { AccessGuard } from './access-guard.js';
import type { ChatAdmission } from './chat-admission.js';
import { createChatHandler } from './chat-handler.js';
import { createFleetEndpoints } from './fleet-endpoints.js';
import type { GroupLink } from './group-link.js';
import type { Instrumentation } from './instrumentation.js';
import { createMetricsEndpoints } from './metrics-endpoints.js';
import { createModelEndpoints, MODEL_PATH_PREFIX } from './model-endpoints.js';
import { buildNoRouteError } from './no-route.js';
import type { RecentErrors } from './recent-errors.js';

/** The parts of a gateway its endpoints read. */
export interface GatewayRouteParts {
  config: NexusConfig;
  fleet: Fleet;
  /** The upstream connection pools (the gateway destroys them on stop). */
  agents: UpstreamAgents;
  /** Where backends' `api_key_env` values are read. */
  env: NodeJS.ProcessEnv;
  /** The routing strategies' randomness (tests pin it). */
  random: (() => number) | undefined;
  /** Told how every upstream attempt ended (fleet ejection, metrics, logs). */
  attemptObserver: AttemptObserver;
  admission: ChatAdmission;
  guard: AccessGuard;
  instrumentation: Instrumentation | null;
  recentErrors: RecentErrors;
  group: GroupLink | null;
  logger: Logger;
  /** Seconds since the gateway was built. */
  uptime: () => number;
  /** Whether the gateway is shutting down (`/ready` then answers 503). */
  isDraining: () => boolean;
  /** Seconds until the next health check: the `Retry-After` of `no_healthy_backend`. */
  retryAfter: () => number;
  /** Removes secrets from text shown on the fleet endpoints. */
  redact: (text: string | null) => string | null;
}

/** Creates the route table of every endpoint the gateway answers (the dashboard only when enabled). */
export function createGatewayRoutes(parts: GatewayRouteParts): RouteTable {
  const { config, fleet } = parts;
  const router = new Router(fleet, config.routing, parts.random);
  const proxy = new ChatProxy({
    agents: parts.agents,
    requestTimeoutMs: config.server.request_timeout_seconds * 1000,
    streamIdleTimeoutMs: config.server.stream_idle_timeout_seconds * 1000,
    firstByteTimeoutMs: config.routing.first_byte_timeout_seconds * 1000,
    attemptTimeoutMs: config.routing.attempt_timeout_seconds * 1000,
    attemptObserver: parts.attemptObserver,
    maxRetries: config.routing.max_retries,
    maxResponseBytes: config.server.max_response_bytes,
    collectStreamUsage: parts.instrumentation !== null,
    env: parts.env,
  });
  const fleetEndpoints = createFleetEndpoints(fleet, parts.uptime, parts.isDraining, parts.redact);
  const modelEndpoints = createModelEndpoints(fleet, config.routing.aliases);
  const metricsEndpoints = createMetricsEndpoints(parts.instrumentation, parts.recentErrors, fleet, parts.uptime, parts.group);
  const chat = createChatHandler({
    router,
    proxy,
    admission: parts.admission,
    maxBodyBytes: config.server.max_body_bytes,
    bodyTimeoutMs: config.server.body_timeout_seconds * 1000,
    logger: parts.logger,
    keyOf: (req) => parts.guard.keyOf(req),
    noRoute: (plan: RoutePlan, requested: string) => buildNoRouteError(plan, requested, fleet, parts.retryAfter),
  });
  const routes = new RouteTable()
    .on('POST', '/v1/chat/completions', chat)
    .on('GET', '/v1/models', modelEndpoints.list)
    .onPrefix('GET', MODEL_PATH_PREFIX, modelEndpoints.retrieve)
    .on('GET', '/v1/backends', fleetEndpoints.backends)
    .on('GET', '/health', fleetEndpoints.health)
    .on('GET', '/ready', fleetEndpoints.ready)
    .on('GET', '/metrics', metricsEndpoints.metrics)
    .on('GET', '/v1/stats', metricsEndpoints.stats);
  if (config.dashboard.enabled) for (const [path, handler] of createDashboardHandler()) routes.on('GET', path, handler);
  return routes;
}
