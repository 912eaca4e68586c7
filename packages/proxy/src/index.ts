// The phases and the session.
export type { ProxyHttp, BodyFilterResult } from "./proxy-http.js";
export { Session, type ResponseChunk } from "./session.js";
export { SessionTiming } from "./session-timing.js";
export type { MaybePromise } from "./maybe-promise.js";
export { isPromiseLike } from "./maybe-promise.js";

// Upstreams.
export { HttpPeer, type HttpPeerOptions } from "./http-peer.js";

// Running a proxy.
export { HttpProxy, type HttpProxyOptions } from "./http-proxy.js";
export { ProxyServer, createProxyServer, type ProxyServerOptions } from "./proxy-server.js";
export { HttpProxyService, httpProxyService, type HttpProxyServiceOptions } from "./proxy-service.js";
export { type ProxyLogger, stderrLogger } from "./proxy-logger.js";

// The common case.
export {
  LoadBalancedProxy,
  type LoadBalancedProxyOptions,
  type LoadBalancedCtx,
  type HostHeaderPolicy,
} from "./load-balanced-proxy.js";

// Defaults and helpers for hooks of your own.
export { defaultErrorWhileProxy, defaultFailToProxy, errorStatus } from "./default-hooks.js";
export { errorPage, prefersJson } from "./error-page.js";
export { stripHopByHop, type KeepFields } from "./hop-by-hop.js";
export { addForwardedHeaders, type ForwardedOptions } from "./forwarded-headers.js";
export { ProxyErrorType } from "./proxy-errors.js";

// Standard modules: rate limiting, compression, metrics and the access log.
export * from "./modules/index.js";
