import { ZpError } from "@zp/error";
import { type RequestHeader, type ResponseHeader, isValidHeaderValue } from "@zp/http";
import { type Backend, type BackendLike, DEFAULT_MAX_ITERATIONS, LoadBalancer, type LoadBalancerOptions } from "@zp/lb";
import { defaultErrorWhileProxy } from "./default-hooks.js";
import { type ForwardedOptions, addForwardedHeaders, addVia } from "./forwarded-headers.js";
import { HttpPeer, type HttpPeerOptions } from "./http-peer.js";
import { ProxyErrorType } from "./proxy-errors.js";
import type { ProxyHttp } from "./proxy-http.js";
import type { Session } from "./session.js";

/** What `Host` the upstream gets. */
export type HostHeaderPolicy = "keep" | "upstream" | { value: string };

/** Options of a {@link LoadBalancedProxy}. */
export interface LoadBalancedProxyOptions {
  /** The backends, e.g. `["10.0.0.1:8080", "10.0.0.2:8080"]` (or `@zp/lb` backends); ignored with `loadBalancer`. */
  upstreams?: readonly BackendLike[];
  /** A load balancer of your own (discovery, active health checks...); default: one over `upstreams`. */
  loadBalancer?: LoadBalancer;
  /** Options of the load balancer made over `upstreams`: `selection` (`round_robin` default, `least_conn`, `ketama`...), `passive`... */
  balancer?: Omit<LoadBalancerOptions, "discovery">;
  /** The key hash-based selections (`ketama`, `fnv`) pick by. Default: the request target (path and query). */
  selectionKey?: (session: Session) => string | Uint8Array | undefined;
  /** How to reach every backend: TLS, SNI, verification, timeouts, pool group. */
  peer?: HttpPeerOptions;
  /** `Host` sent upstream: the client's (`"keep"`, default), the backend's (`"upstream"`: SNI or address), or a fixed value. */
  host?: HostHeaderPolicy;
  /** Append the client's address to `X-Forwarded-For` (default true). */
  xForwardedFor?: boolean;
  /** Set `X-Forwarded-Proto` (default true). */
  xForwardedProto?: boolean;
  /** Append an RFC 7239 `Forwarded` element (default false). */
  forwarded?: boolean;
  /** A name to add to `Via` on requests and responses (default: none). */
  via?: string;
}

/** The per-request state of a {@link LoadBalancedProxy}. */
export interface LoadBalancedCtx {
  /** The backend of the current (or last) attempt. */
  backend: Backend | undefined;
  /** Backends tried by earlier attempts (made on the first retry). */
  tried: Backend[] | undefined;
  /** Whether the current backend counts this request in flight. */
  inflight: boolean;
  /** Whether the current backend already had its outcome reported. */
  reported: boolean;
}

/**
 * A ready proxy for the common case: upstreams from a `@zp/lb` {@link LoadBalancer},
 * with passive health (failed connections and upstream faults → `reportFailure`, response
 * heads → `reportSuccess`), in-flight counts for `least_conn`/`p2c` (`onStart`/`onEnd`),
 * retries onto another backend, `Host` handling and forwarding headers.
 *
 * Subclasses that override a hook should call the base one (`super.logging(...)`), or the
 * in-flight counts and health reports go astray.
 *
 * @example
 * ```ts
 * const proxy = new LoadBalancedProxy({ upstreams: ["127.0.0.1:3001", "127.0.0.1:3002"], balancer: { selection: "least_conn" } });
 * const server = await createProxyServer(proxy, { port: 8080 });
 * ```
 */
export class LoadBalancedProxy implements ProxyHttp<LoadBalancedCtx> {
  /** The load balancer. */
  readonly lb: LoadBalancer;
  private readonly peerOptions: HttpPeerOptions;
  private readonly peers = new Map<string, HttpPeer>();
  private readonly keyOf: (session: Session) => string | Uint8Array | undefined;
  private readonly host: HostHeaderPolicy;
  private readonly forwarding: ForwardedOptions;

  /** @throws TypeError without upstreams or a load balancer; RangeError for an invalid `via` or `host`. */
  constructor(options: LoadBalancedProxyOptions = {}) {
    if (options.loadBalancer !== undefined) this.lb = options.loadBalancer;
    else if (options.upstreams !== undefined && options.upstreams.length > 0) this.lb = LoadBalancer.fromBackends(options.upstreams, options.balancer);
    else throw new TypeError("LoadBalancedProxy needs upstreams or a loadBalancer");
    if (options.via !== undefined && !isValidHeaderValue(`1.1 ${options.via}`)) throw new RangeError(`invalid via ${JSON.stringify(options.via)}`);
    const host = options.host ?? "keep";
    if (typeof host === "object" && !isValidHeaderValue(host.value)) throw new RangeError(`invalid host ${JSON.stringify(host.value)}`);
    this.peerOptions = options.peer ?? {};
    this.keyOf = options.selectionKey ?? ((session) => session.uri);
    this.host = host;
    this.forwarding = {
      xForwardedFor: options.xForwardedFor ?? true,
      xForwardedProto: options.xForwardedProto ?? true,
      forwarded: options.forwarded ?? false,
      via: options.via,
    };
  }

  /** The peer used for `backend` (one per backend, so its pool key and TLS settings are derived once). */
  peerFor(backend: Backend): HttpPeer {
    let peer = this.peers.get(backend.hashKey);
    if (peer === undefined) {
      peer = new HttpPeer({ address: backend.address, port: backend.port }, this.peerOptions);
      this.peers.set(backend.hashKey, peer);
    }
    return peer;
  }

  /** A fresh per-request state. */
  newCtx(): LoadBalancedCtx {
    return { backend: undefined, tried: undefined, inflight: false, reported: false };
  }

  /** Selects a backend (on a retry, preferably one not tried yet) and counts the request in flight there. */
  upstreamPeer(session: Session, ctx: LoadBalancedCtx): HttpPeer {
    const lb = this.lb;
    const previous = ctx.backend;
    this.endInflight(ctx);
    const key = this.keyOf(session);
    let backend: Backend | undefined;
    if (previous === undefined) {
      backend = lb.select(key);
    } else {
      // a retry: prefer a backend no earlier attempt used
      const tried = (ctx.tried ??= []);
      tried.push(previous);
      backend = lb.selectWith(key ?? "", DEFAULT_MAX_ITERATIONS, (b, usable) => usable && !tried.includes(b)) ?? lb.select(key);
    }
    if (backend === undefined) {
      throw new ZpError(ProxyErrorType.NoUpstream, { context: "no healthy upstream to select", source: "Upstream" });
    }
    lb.onStart(backend);
    ctx.backend = backend;
    ctx.inflight = true;
    ctx.reported = false;
    return this.peerFor(backend);
  }

  /** A failed connect counts against the backend; the error keeps its retry decision (connect errors are retryable). */
  failToConnect(session: Session, peer: HttpPeer, ctx: LoadBalancedCtx, error: ZpError): ZpError {
    this.report(ctx, error);
    this.endInflight(ctx);
    return error;
  }

  /** Applies the `Host` policy and adds the forwarding fields. */
  upstreamRequestFilter(session: Session, upstreamRequest: RequestHeader, ctx: LoadBalancedCtx): void {
    const headers = upstreamRequest.headers;
    const host = this.host;
    if (host === "upstream") {
      const peer = ctx.backend === undefined ? undefined : this.peerFor(ctx.backend);
      if (peer !== undefined) headers.setUnchecked("Host", peer.authority);
    } else if (host !== "keep") {
      headers.setUnchecked("Host", host.value);
    }
    addForwardedHeaders(headers, session, this.forwarding);
  }

  /** A response head counts for the backend; adds `Via` when asked. */
  upstreamResponseFilter(session: Session, upstreamResponse: ResponseHeader, ctx: LoadBalancedCtx): void {
    this.report(ctx, undefined);
    const via = this.forwarding.via;
    if (via !== undefined) addVia(upstreamResponse.headers, via);
  }

  /** An upstream fault counts against the backend; then the default decision. */
  errorWhileProxy(peer: HttpPeer, session: Session, error: ZpError, ctx: LoadBalancedCtx, clientReused: boolean): ZpError {
    // a fault of the upstream (not of the client, not of a hook) counts against it
    if (error.source === "Upstream") this.report(ctx, error);
    this.endInflight(ctx);
    return defaultErrorWhileProxy(peer, session, error, clientReused);
  }

  /** The request is over: it no longer counts in flight. */
  logging(session: Session, error: ZpError | undefined, ctx: LoadBalancedCtx): void {
    this.endInflight(ctx);
  }

  /** Passive health: one report per attempt. */
  private report(ctx: LoadBalancedCtx, error: ZpError | undefined): void {
    const backend = ctx.backend;
    if (backend === undefined || ctx.reported) return;
    ctx.reported = true;
    if (error === undefined) this.lb.reportSuccess(backend);
    else this.lb.reportFailure(backend, error);
  }

  private endInflight(ctx: LoadBalancedCtx): void {
    if (!ctx.inflight || ctx.backend === undefined) return;
    ctx.inflight = false;
    this.lb.onEnd(ctx.backend);
  }
}
