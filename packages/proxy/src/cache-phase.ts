import type { ProxyHttp } from "./proxy-http.js";
import type { Session } from "./session.js";

/**
 * Where the cache phases run, between `requestFilter` and `proxyUpstreamFilter`, as in
 * Pingora: `request_cache_filter` (is the request cacheable, which storage), then
 * `cache_key_callback`, the lookup, `cache_hit_filter` and, on a fresh hit, serving the
 * stored response (and `logging`). On the response side, `response_cache_filter` and the
 * storing of the body would follow `upstreamResponseFilter` (see `UpstreamAttempt`).
 *
 * There is no cache yet: this step never serves, and the request goes upstream.
 *
 * @returns Whether the request was answered from the cache.
 */
export function serveFromCache<CTX>(_app: ProxyHttp<CTX>, _session: Session, _ctx: CTX): boolean {
  return false;
}
