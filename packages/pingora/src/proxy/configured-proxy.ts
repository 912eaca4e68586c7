import { Buffer } from "node:buffer";
import { ErrorType, ZpError } from "@zp/error";
import { HeaderMap, type RequestHeader, ResponseHeader } from "@zp/http";
import type {
  AccessLog,
  BodyFilterResult,
  HttpPeer,
  LoadBalancedCtx,
  ProxyHttp,
  ProxyMetrics,
  RateDecision,
  ResponseCompressor,
  Session,
} from "@zp/proxy";
import type { ProxyConfig } from "../config/proxy-config.js";
import { requestRecord } from "./request-record.js";
import { originForm, pathOf, requestHost, stripPrefix } from "./request-target.js";
import { Route } from "./route.js";
import { UpstreamGroup } from "./upstream-group.js";

/** The per-request state of a {@link ConfiguredProxy}. */
export interface ConfiguredProxyCtx {
  /** The route that took the request. */
  route: Route | undefined;
  /** The state of the group's load-balanced proxy (made once the route is known). */
  lb: LoadBalancedCtx | undefined;
  /** The rate limit decision, when the route has a limit. */
  decision: RateDecision | undefined;
  /** The response body's compressor, when compressing. */
  compressor: ResponseCompressor | undefined;
  /** The status the upstream answered. */
  upstreamStatus: number | undefined;
  /** Whether the request counts in the in-flight gauge. */
  inFlight: boolean;
}

/** Options of a {@link ConfiguredProxy}. */
export interface ConfiguredProxyOptions {
  /** Metrics fed from the logging phase. */
  metrics?: ProxyMetrics;
  /** Access log fed from the logging phase. */
  accessLog?: AccessLog;
  /** The server's `ca_file`: default CA of TLS upstream groups. */
  caFile?: string | null;
  /** Where notices go (backends becoming healthy or unhealthy). */
  notice?: (message: string) => void;
}

const NO_ROUTE = Buffer.from("no route for this request\n");

function answer(session: Session, status: number, headers: HeaderMap, body: Buffer): void {
  session.writeResponseHeader(ResponseHeader.unchecked(status, "HTTP/1.1", headers));
  session.writeResponseBody(body, true);
}

/**
 * The proxy a `zp` configuration describes, as one `ProxyHttp` built on `@zp/proxy`'s
 * phases and modules:
 *
 * - `requestFilter`: picks the first route matching the host and path (404 when none), and
 *   applies its rate limit (429 with `Retry-After`);
 * - `upstreamPeer`, `failToConnect`, `upstreamResponseFilter`, `errorWhileProxy`: the route's
 *   upstream group, a `LoadBalancedProxy` (selection, passive health, retries elsewhere);
 * - `upstreamRequestFilter`: forwarding headers and `Host`, prefix stripping, request header edits;
 * - `responseFilter` / `responseBodyFilter`: response header edits, rate limit fields, compression;
 * - `logging`: metrics and the access log.
 */
export class ConfiguredProxy implements ProxyHttp<ConfiguredProxyCtx> {
  /** The upstream groups by name. */
  readonly groups: ReadonlyMap<string, UpstreamGroup>;
  /** The routes, in order. */
  readonly routes: readonly Route[];
  private readonly metrics: ProxyMetrics | undefined;
  private readonly accessLog: AccessLog | undefined;

  /** @param config A validated configuration (see `validateProxySection`). */
  constructor(config: ProxyConfig, options: ConfiguredProxyOptions = {}) {
    const groups = new Map<string, UpstreamGroup>();
    for (const upstream of config.upstreams) {
      groups.set(
        upstream.name,
        new UpstreamGroup(upstream, {
          timeouts: config.timeouts,
          ...(options.caFile === undefined ? {} : { caFile: options.caFile }),
          ...(options.notice === undefined ? {} : { onHealthChange: options.notice }),
        }),
      );
    }
    this.groups = groups;
    this.routes = config.routes.map((route, i) => {
      const group = groups.get(route.upstream);
      if (group === undefined) throw new RangeError(`route ${i} names an unknown upstream group ${JSON.stringify(route.upstream)}`);
      return new Route(i, route, group);
    });
    this.metrics = options.metrics;
    this.accessLog = options.accessLog;
  }

  /** Starts the groups' active health checks (resolves after their first round). */
  async start(): Promise<void> {
    await Promise.all([...this.groups.values()].map((g) => g.start()));
  }

  /** Stops the health checks. */
  async stop(): Promise<void> {
    await Promise.all([...this.groups.values()].map((g) => g.stop()));
  }

  /** The first route that takes `head`, if any. */
  routeFor(head: RequestHeader): Route | undefined {
    const host = requestHost(head);
    const path = pathOf(originForm(head));
    for (const route of this.routes) if (route.matches(host, path)) return route;
    return undefined;
  }

  newCtx(): ConfiguredProxyCtx {
    return {
      route: undefined,
      lb: undefined,
      decision: undefined,
      compressor: undefined,
      upstreamStatus: undefined,
      inFlight: false,
    };
  }

  requestFilter(session: Session, ctx: ConfiguredProxyCtx): boolean {
    if (this.metrics !== undefined) {
      this.metrics.inFlight.inc();
      ctx.inFlight = true;
    }
    const route = this.routeFor(session.reqHeader);
    if (route === undefined) {
      const headers = new HeaderMap().setUnchecked("Content-Type", "text/plain; charset=utf-8").setUnchecked("Content-Length", String(NO_ROUTE.length));
      answer(session, 404, headers, NO_ROUTE);
      return true;
    }
    ctx.route = route;
    ctx.lb = route.group.proxy.newCtx();
    const limiter = route.limiter;
    if (limiter !== undefined) {
      const decision = limiter.check(limiter.keyFor(session.reqHeader, session.clientAddress ?? ""));
      ctx.decision = decision;
      if (!decision.allowed) {
        const { status, headers, body } = limiter.rejection(decision);
        answer(session, status, headers, body);
        return true;
      }
    }
    return false;
  }

  upstreamPeer(session: Session, ctx: ConfiguredProxyCtx): HttpPeer {
    const route = ctx.route;
    if (route === undefined) throw ZpError.explain(ErrorType.InternalError, "no route was chosen for this request").asInternal();
    return route.group.proxy.upstreamPeer(session, ctx.lb!);
  }

  failToConnect(session: Session, peer: HttpPeer, ctx: ConfiguredProxyCtx, error: ZpError): ZpError {
    return ctx.route!.group.proxy.failToConnect(session, peer, ctx.lb!, error);
  }

  upstreamRequestFilter(session: Session, upstreamRequest: RequestHeader, ctx: ConfiguredProxyCtx): void {
    const route = ctx.route!;
    route.group.proxy.upstreamRequestFilter(session, upstreamRequest, ctx.lb!);
    if (route.stripPrefix) upstreamRequest.setUri(stripPrefix(originForm(upstreamRequest), route.pathPrefix!));
    route.requestHeaders.apply(upstreamRequest.headers);
  }

  upstreamResponseFilter(session: Session, upstreamResponse: ResponseHeader, ctx: ConfiguredProxyCtx): void {
    ctx.upstreamStatus = upstreamResponse.status;
    ctx.route!.group.proxy.upstreamResponseFilter(session, upstreamResponse, ctx.lb!);
  }

  responseFilter(session: Session, upstreamResponse: ResponseHeader, ctx: ConfiguredProxyCtx): void {
    const route = ctx.route!;
    route.responseHeaders.apply(upstreamResponse.headers);
    const policy = route.compression;
    if (policy !== undefined) {
      ctx.compressor?.destroy();
      const encoding = policy.apply(session.reqHeader, upstreamResponse);
      ctx.compressor = encoding === undefined ? undefined : policy.createCompressor(encoding);
    }
    if (ctx.decision !== undefined) route.limiter!.addHeaders(upstreamResponse, ctx.decision);
  }

  responseBodyFilter(session: Session, chunk: Buffer | null, endOfStream: boolean, ctx: ConfiguredProxyCtx): BodyFilterResult | Promise<BodyFilterResult> {
    const compressor = ctx.compressor;
    if (compressor === undefined) return undefined;
    if (!endOfStream) return chunk === null ? null : compressor.push(chunk);
    if (chunk === null || chunk.length === 0) return compressor.end();
    return Promise.all([compressor.push(chunk), compressor.end()]).then(([a, b]) => Buffer.concat([a, b]));
  }

  errorWhileProxy(peer: HttpPeer, session: Session, error: ZpError, ctx: ConfiguredProxyCtx, clientReused: boolean): ZpError {
    return ctx.route!.group.proxy.errorWhileProxy(peer, session, error, ctx.lb!, clientReused);
  }

  logging(session: Session, error: ZpError | undefined, ctx: ConfiguredProxyCtx): void {
    if (ctx.route !== undefined && ctx.lb !== undefined) ctx.route.group.proxy.logging(session, error, ctx.lb);
    const compressor = ctx.compressor;
    if (compressor !== undefined && !compressor.closed) compressor.destroy();
    const metrics = this.metrics;
    const accessLog = this.accessLog;
    if (metrics === undefined && accessLog === undefined) return;
    const record = requestRecord(session, error, ctx.upstreamStatus);
    if (metrics !== undefined) {
      if (ctx.inFlight) metrics.inFlight.dec();
      metrics.observe(record);
    }
    accessLog?.log(record);
  }
}
