import type { Backend, BackendLike } from "../backend.js";
import { Backends } from "../backends.js";
import type { DiscoveryResult, ServiceDiscovery } from "./service-discovery.js";

/**
 * A fixed set of backends, changed only by hand (pingora's `Static`). The load balancer's
 * `add`/`remove`/`reweight` change it, so a later discovery round keeps those changes.
 *
 * @example
 * ```ts
 * const discovery = new StaticDiscovery(["10.0.0.1:80", "10.0.0.2:80"]);
 * discovery.add("10.0.0.3:80");
 * ```
 */
export class StaticDiscovery<E = unknown> implements ServiceDiscovery<E> {
  private current: Backends<E>;

  /** @throws {@link LbError} `ZP_LB_INVALID_BACKEND` for an invalid backend. */
  constructor(backends: Iterable<BackendLike<E>> = []) {
    this.current = Backends.from(backends);
  }

  /** The current set. */
  get backends(): Backends<E> {
    return this.current;
  }

  /** Replaces the set. */
  set(backends: Iterable<BackendLike<E>>): void {
    this.current = Backends.from(backends);
  }

  /** Adds a backend (no change when it is already there). */
  add(backend: BackendLike<E>): void {
    this.current = this.current.add(backend);
  }

  /** Removes a backend, or every backend at an `"ip:port"` endpoint. */
  remove(target: Backend<unknown> | string): void {
    this.current = this.current.remove(target);
  }

  /** Gives every backend at `target`'s endpoint a new weight. */
  reweight(target: Backend<unknown> | string, weight: number): void {
    this.current = this.current.reweight(target, weight);
  }

  discover(): Promise<DiscoveryResult<E>> {
    return Promise.resolve({ backends: this.current });
  }
}
