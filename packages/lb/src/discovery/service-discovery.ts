import type { BackendLike } from "../backend.js";

/** What a discovery round found. */
export interface DiscoveryResult<E = unknown> {
  /** The backends, in any order; duplicates are dropped. */
  readonly backends: Iterable<BackendLike<E>>;
  /**
   * Optional enablement by backend identity ({@link Backend.hashKey}): `false` keeps a backend
   * in the set but out of selection (pingora's readiness map). Unlisted backends keep theirs.
   */
  readonly enabled?: ReadonlyMap<string, boolean>;
}

/**
 * Finds the backends (pingora's `ServiceDiscovery`). The load balancer calls it at start and
 * then every `discoveryIntervalMs`, and rebuilds its selection only when the set changed.
 * A rejection keeps the current set.
 */
export interface ServiceDiscovery<E = unknown> {
  /** One discovery round; `signal` aborts when the load balancer stops. */
  discover(signal?: AbortSignal): Promise<DiscoveryResult<E>>;
}
