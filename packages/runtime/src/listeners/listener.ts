import type { BoundAddress, ListenerSpec } from "../service.js";
import type { RawServerHandle } from "./raw-handle.js";

/** A bound listening socket held by this process. */
export interface Listener {
  /** Identity of the declared endpoint, the same in every process running the same services. */
  readonly key: string;
  /** The native handle (this process's descriptor of the socket). */
  readonly handle: RawServerHandle;
  /** Where it is bound. */
  readonly bound: BoundAddress;
  /** Inode of a Unix socket file, so that only our own file is ever unlinked. */
  readonly ino: number | null;
}

/** A listener a service declared, with its key. */
export interface WantedListener {
  readonly key: string;
  readonly spec: ListenerSpec;
}

/** The key of an endpoint, before disambiguation: `tcp 127.0.0.1:8080` or `unix /run/x.sock`. */
export function endpointName(spec: ListenerSpec): string {
  return "path" in spec ? `unix ${spec.path}` : `tcp ${spec.address}:${spec.port}`;
}

/**
 * Keys for every declared listener, in order. Repeated endpoints (several `port: 0` listeners)
 * get `#1`, `#2`... so that keys stay unique and match across processes.
 */
export function assignListenerKeys(specs: readonly ListenerSpec[]): WantedListener[] {
  const seen = new Map<string, number>();
  return specs.map((spec) => {
    const name = endpointName(spec);
    const n = seen.get(name) ?? 0;
    seen.set(name, n + 1);
    return { key: n === 0 ? name : `${name}#${n}`, spec };
  });
}

/** Formats a bound address for logs: `127.0.0.1:8080`, `[::1]:80`, `unix:/run/x.sock`. */
export function formatBound(bound: BoundAddress): string {
  if (bound.kind === "unix") return `unix:${bound.path}`;
  return bound.family === "IPv6" ? `[${bound.address}]:${bound.port}` : `${bound.address}:${bound.port}`;
}
