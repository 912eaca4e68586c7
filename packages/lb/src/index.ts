// Backends and sets of them.
export { Backend, MAX_WEIGHT, compareBackends, type BackendInit, type BackendLike } from "./backend.js";
export { Backends } from "./backends.js";
export type { AddressFamily } from "./address.js";
export { Fnv64 } from "./fnv64.js";

// Selection.
export type { Selection, SelectionBuilder, SelectionContext, SelectionCursor, SelectionKey, SelectionName } from "./selection/selection.js";
export { SELECTION_NAMES, buildSelection } from "./selection/algorithms.js";
export { WeightedSelection, type WeightedAlgorithm } from "./selection/weighted.js";
export { SmoothRoundRobin } from "./selection/smooth-round-robin.js";
export { LeastConnections } from "./selection/least-connections.js";
export { PowerOfTwoChoices } from "./selection/power-of-two.js";
export { KetamaSelection } from "./selection/consistent.js";
export { UniqueIterator } from "./selection/unique-iterator.js";
export { InflightTracker, type InflightCounter } from "./selection/inflight.js";

// Health.
export type { HealthCheck, CommonCheckOptions } from "./health/health-check.js";
export { TcpHealthCheck, type TcpHealthCheckOptions } from "./health/tcp-health-check.js";
export { HttpHealthCheck, type HttpHealthCheckOptions, type HealthValidator } from "./health/http-health-check.js";
export type { HealthResponse } from "./health/http-exchange.js";
export type { CheckTlsOptions } from "./health/connect.js";
export type { PassiveHealthOptions } from "./health/passive-options.js";

// Discovery.
export type { ServiceDiscovery, DiscoveryResult } from "./discovery/service-discovery.js";
export { StaticDiscovery } from "./discovery/static-discovery.js";
export { DnsDiscovery, type DnsDiscoveryOptions, type DnsRecordType, type DnsBackendInfo } from "./discovery/dns-discovery.js";

// The load balancer.
export {
  LoadBalancer,
  DEFAULT_MAX_ITERATIONS,
  type LoadBalancerOptions,
  type AllDownPolicy,
  type BackendHealth,
  type HealthChangeListener,
  type HealthChangeReason,
} from "./load-balancer.js";
export { LbError, LbErrorType } from "./lb-error.js";
