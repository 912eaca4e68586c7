// Every @zp package as a namespace: names that several packages share (`BodySink`, error
// classes, `hashKey`...) stay apart, e.g. `lb.LoadBalancer`, `proxy.Session`.
export * as error from "@zp/error";
export * as lru from "@zp/lru";
export * as tinyufo from "@zp/tinyufo";
export * as ketama from "@zp/ketama";
export * as timeout from "@zp/timeout";
export * as http from "@zp/http";
export * as h1Parser from "@zp/h1-parser";
export * as hpack from "@zp/hpack";
export * as limits from "@zp/limits";
export * as memoryCache from "@zp/memory-cache";
export * as pool from "@zp/pool";
export * as tls from "@zp/tls";
export * as runtime from "@zp/runtime";
export * as httpClient from "@zp/http-client";
export * as httpServer from "@zp/http-server";
export * as lb from "@zp/lb";
export * as websocket from "@zp/websocket";
export * as proxy from "@zp/proxy";

// The most used names, at the top level.
export { ZpError, ErrorType, ErrorSource, RetryType } from "@zp/error";
export { HeaderMap, RequestHeader, ResponseHeader } from "@zp/http";
export { Lru, ShardedLru } from "@zp/lru";
export { TinyUfo } from "@zp/tinyufo";
export { Continuum } from "@zp/ketama";
export { TimerWheel } from "@zp/timeout";
export { H1Parser } from "@zp/h1-parser";
export { KeyedTokenBucket, TokenBucket, LeakyBucket, Rate } from "@zp/limits";
export { MemoryCache } from "@zp/memory-cache";
export { ConnectionPool } from "@zp/pool";
export { createTlsServerContext, TlsServerContext, connectTls } from "@zp/tls";
export {
  Server,
  serverFromArgs,
  loadServerConf,
  parseServerConf,
  ServerConfError,
  type ServerConf,
  type Service,
  type ServiceContext,
} from "@zp/runtime";
export { HttpClient, Connector, request } from "@zp/http-client";
export { HttpServer } from "@zp/http-server";
export { LoadBalancer, Backend, HttpHealthCheck, TcpHealthCheck } from "@zp/lb";
export { WebSocket } from "@zp/websocket";
export {
  type ProxyHttp,
  Session,
  HttpPeer,
  HttpProxy,
  ProxyServer,
  createProxyServer,
  HttpProxyService,
  httpProxyService,
  LoadBalancedProxy,
  RateLimiter,
  CompressionPolicy,
  ResponseCompressor,
  ProxyMetrics,
  startAdminServer,
  AccessLog,
} from "@zp/proxy";

// This package: the proxy a configuration describes, and what runs it.
export type {
  ProxyConfig,
  ListenerConfig,
  UpstreamConfig,
  BackendConfig,
  AlgorithmName,
  HashKeyConfig,
  HealthCheckConfig,
  PassiveHealthConfig,
  UpstreamTlsConfig,
  TimeoutsConfig,
  HostHeaderConfig,
  RouteConfig,
  HeaderEditsConfig,
  RateLimitConfig,
  RateLimitKeyConfig,
  CompressionConfig,
  AdminConfig,
  AccessLogConfig,
} from "./config/proxy-config.js";
export { ALGORITHMS } from "./config/proxy-config.js";
export { proxySectionValidator, validateProxySection, PROXY_SECTION_KEYS, type ProxySectionOptions } from "./config/validate-proxy-section.js";
export { loadZpConfig, parseZpConfig, type ZpConfig, type ZpExtensions } from "./config/load-zp-config.js";
export { buildProxyConfig } from "./config/build-proxy-config.js";
export { ConfiguredProxy, type ConfiguredProxyCtx, type ConfiguredProxyOptions } from "./proxy/configured-proxy.js";
export { UpstreamGroup, type UpstreamGroupOptions } from "./proxy/upstream-group.js";
export { Route } from "./proxy/route.js";
export { ProxyAppService, type ProxyAppServiceOptions } from "./service/proxy-app-service.js";
export { ProxyApp, type ProxyAppOptions, type ProxyEndpoints } from "./service/proxy-app.js";
export { AdminEndpoint } from "./service/admin-endpoint.js";
export { startDemo, demoSection, type Demo, type DemoOptions } from "./demo/start-demo.js";
export { startDemoUpstream, startDemoUpstreams, type DemoUpstream } from "./demo/demo-upstreams.js";
export { main as runCli } from "./cli/main.js";
export { parseCliArgs } from "./cli/parse-cli-args.js";
export type { CliCommand, ReverseProxyCommand } from "./cli/cli-command.js";
export type { CliIo } from "./cli/cli-io.js";
export { PingoraError, type PingoraErrorCode } from "./pingora-error.js";
