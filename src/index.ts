// Public entry point of `nexus-gateway`: build and run a gateway from code.

export { Gateway, type GatewayOptions } from './gateway/gateway.js';
export { ClusterPrimary } from './cluster/primary.js';
export { loadConfig, parseBackendSpec, type ConfigFlags, type LoadedConfig } from './config/load.js';
export { validateConfig } from './config/validate.js';
export { defaultConfig } from './config/defaults.js';
export { ConfigError } from './config/config-error.js';
export type { NexusConfig, BackendConfig, BackendType, RoutingStrategy } from './config/types.js';
export { GatewayError, ERROR_CATALOGUE, type ErrorCode, type ErrorType } from './errors/gateway-error.js';
export { VERSION } from './version.js';
