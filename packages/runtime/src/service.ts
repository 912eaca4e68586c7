import type { Server as NetServer, ServerOpts } from "node:net";
import type { ServerConf } from "./conf/server-conf.js";
import type { ErrorLog } from "./process/error-log.js";

/** A TCP listener: `address` is an IP address or a host name resolved once at startup. */
export interface TcpListenerSpec {
  /** IP address (or host name) to bind, e.g. `0.0.0.0`, `::1`, `127.0.0.1`. */
  readonly address: string;
  /** Port to bind; `0` picks a free one (see {@link ServiceContext.addresses}). */
  readonly port: number;
  /** Accept queue length (default 511). */
  readonly backlog?: number;
  /** Options of the `net.Server` handed to the service (e.g. `pauseOnConnect`, `noDelay`). */
  readonly serverOptions?: ServerOpts;
}

/** A Unix domain socket listener. */
export interface UnixListenerSpec {
  /** Socket file path. A stale socket file nobody listens on is replaced. */
  readonly path: string;
  /** Accept queue length (default 511). */
  readonly backlog?: number;
  /** Options of the `net.Server` handed to the service. */
  readonly serverOptions?: ServerOpts;
}

/** An endpoint a service wants to accept connections on. */
export type ListenerSpec = TcpListenerSpec | UnixListenerSpec;

/** Where a listener is actually bound (the port is filled in when `0` was asked for). */
export type BoundAddress =
  | { readonly kind: "tcp"; readonly address: string; readonly port: number; readonly family: string }
  | { readonly kind: "unix"; readonly path: string };

/** Which kind of process a service runs in. */
export type ProcessRole = "single" | "primary" | "worker";

/** What a service gets when it is started. */
export interface ServiceContext {
  /**
   * One `net.Server` per declared listener, in declaration order. They start accepting right
   * after `start()` settles, so attach the `connection` handler in `start()`, e.g.
   * `ctx.listeners[0].on("connection", (socket) => httpServer.emit("connection", socket))`.
   * Do not call `listen()` or `close()` on them: the runtime does.
   */
  readonly listeners: readonly NetServer[];
  /** Where each listener is bound, in the same order. */
  readonly addresses: readonly BoundAddress[];
  /** The server configuration. */
  readonly conf: Readonly<ServerConf>;
  /** The kind of process this is. */
  readonly role: ProcessRole;
  /** Worker number `0..threads-1` in a worker, `0` otherwise. */
  readonly workerId: number;
  /** The server's error log. */
  readonly log: ErrorLog;
}

/** How a service is asked to stop. */
export interface StopOptions {
  /**
   * `true`: finish in-flight work (answer requests in progress, ideally with
   * `Connection: close`, and close idle connections), accept nothing new.
   * `false`: close everything now.
   */
  readonly graceful: boolean;
  /** `Date.now()` value by which the service should have finished. */
  readonly deadline: number;
}

/**
 * Anything the server runs: a listening service (declares `listeners`) or a background
 * service (declares none). The same service object is created in every process that runs it.
 *
 * `stop()` is called once with `graceful: true` on SIGTERM or after an upgrade handover; if
 * it has not settled when the grace period ends it is called again with `graceful: false`,
 * and the earlier promise should settle too. On SIGINT it is called once with
 * `graceful: false`. The listeners are already closed when `stop()` is called.
 */
export interface Service {
  /** Name used in logs. */
  readonly name: string;
  /** Endpoints to accept connections on; none for a background service. */
  readonly listeners?: readonly ListenerSpec[];
  /**
   * Where a background service runs when `threads > 1`: `"workers"` (default) in every
   * worker, beside the listening services, or `"once"` in the primary process only. Listening
   * services always run in the workers. With `threads: 1` everything runs in the one process.
   */
  readonly placement?: "workers" | "once";
  /** Starts the service. Throwing (or rejecting) aborts the server's start. */
  start(ctx: ServiceContext): void | Promise<void>;
  /** Stops the service; see the interface description for the sequence. */
  stop(options: StopOptions): void | Promise<void>;
}
