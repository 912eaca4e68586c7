import { CompressionPolicy, RateLimiter } from "@zp/proxy";
import type { RouteConfig } from "../config/proxy-config.js";
import { HeaderEdits } from "./header-edits.js";
import { underPrefix } from "./request-target.js";
import type { UpstreamGroup } from "./upstream-group.js";

/** A route ready for requests: its matchers, its group and its modules. */
export class Route {
  /** Position in the configuration (for logs). */
  readonly index: number;
  /** The group requests go to. */
  readonly group: UpstreamGroup;
  /** Path prefix matched, if any. */
  readonly pathPrefix: string | undefined;
  /** Whether the prefix is removed upstream. */
  readonly stripPrefix: boolean;
  readonly requestHeaders: HeaderEdits;
  readonly responseHeaders: HeaderEdits;
  /** The route's rate limiter, if any. */
  readonly limiter: RateLimiter | undefined;
  /** The route's compression policy, if any. */
  readonly compression: CompressionPolicy | undefined;
  private readonly exactHosts: ReadonlySet<string>;
  /** `.example.com` for `*.example.com`. */
  private readonly hostSuffixes: readonly string[];
  private readonly anyHost: boolean;

  constructor(index: number, config: RouteConfig, group: UpstreamGroup) {
    this.index = index;
    this.group = group;
    this.pathPrefix = config.pathPrefix;
    this.stripPrefix = config.stripPrefix && config.pathPrefix !== undefined;
    this.requestHeaders = new HeaderEdits(config.requestHeaders);
    this.responseHeaders = new HeaderEdits(config.responseHeaders);
    this.exactHosts = new Set(config.hosts.filter((h) => !h.startsWith("*.")));
    this.hostSuffixes = config.hosts.filter((h) => h.startsWith("*.")).map((h) => h.slice(1));
    this.anyHost = config.hosts.length === 0;
    const rate = config.rateLimit;
    this.limiter =
      rate === undefined
        ? undefined
        : new RateLimiter({
            requestsPerSecond: rate.requestsPerSecond,
            ...(rate.burst === undefined ? {} : { burst: rate.burst }),
            keyBy: rate.key.kind === "client_ip" ? "ip" : { header: rate.key.name },
          });
    const c = config.compression;
    this.compression =
      c === undefined || !c.enabled ? undefined : new CompressionPolicy({ minSize: c.minSize, ...(c.types === undefined ? {} : { contentTypes: c.types }) });
  }

  /** Whether the route takes a request for `host` (lower-case, no port) and `path`. */
  matches(host: string, path: string): boolean {
    if (!this.anyHost && !this.exactHosts.has(host) && !this.hostSuffixes.some((s) => host.length > s.length && host.endsWith(s))) return false;
    return this.pathPrefix === undefined || underPrefix(path, this.pathPrefix);
  }
}
