import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ServerConfError, formatConfPath } from "@zp/runtime";
import { afterAll, describe, expect, it } from "vitest";
import { buildProxyConfig, parseZpConfig } from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "zp-pingora-conf-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every issue of `yaml` as `path: message`, or [] when it is valid. */
function issues(yaml: string): string[] {
  try {
    parseZpConfig(yaml, { baseDir: dir });
    return [];
  } catch (err) {
    if (!(err instanceof ServerConfError)) throw err;
    return err.issues.map((i) => `${formatConfPath(i.path)}: ${i.message}`);
  }
}

/** A valid proxy section, as YAML lines under `proxy:`, with `extra` appended. */
function withProxy(body: string): string {
  return `proxy:\n${body
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n")}\n`;
}

const BASE = `listeners: [{ address: 127.0.0.1, port: 8080 }]
upstreams:
  api: { backends: ["127.0.0.1:3000"] }`;

describe("a good configuration", () => {
  it("is read with every default filled", () => {
    const conf = parseZpConfig(
      `threads: 2
grace_period_seconds: 5
proxy:
  listeners:
    - { address: 0.0.0.0, port: 8080 }
    - "127.0.0.1:8081"
    - ":8082"
  upstreams:
    api:
      backends: ["127.0.0.1:3000", { address: "127.0.0.1:3001", weight: 3 }, { address: "::1", port: 3002 }]
      algorithm: weighted_round_robin
      health_check: { type: http, path: /healthz, expected_status: [200, 204], interval_ms: 2s, timeout_ms: 300 }
      passive_health: { failure_threshold: 2, ejection_ms: 1s }
      timeouts: { read: 30s }
    users:
      backends: ["10.0.0.1:80"]
      algorithm: ketama
      hash_key: header:x-user
      tls: { sni: users.internal, verify: false }
      host_header: upstream
      passive_health: false
  routes:
    - host: [api.example.com, "*.api.example.com"]
      path_prefix: /v1
      strip_prefix: true
      upstream: api
      request_headers: { set: { X-Env: prod }, add: { X-Tag: [a, b] }, remove: Cookie }
      response_headers: { remove: [Server] }
      rate_limit: { requests_per_second: 10, burst: 20, key: "header:x-api-key" }
      compression: { min_size: 100, types: [application/json, "text/*"] }
    - upstream: users
      compression: true
  timeouts: { connect: 500ms, total: 1m }
  max_retries: 2
  admin: "127.0.0.1:9091"
  access_log: logs/access.log
`,
      { baseDir: dir },
    );
    expect(conf.threads).toBe(2);
    const proxy = conf.extensions.proxy;
    expect(proxy.listeners).toEqual([
      { address: "0.0.0.0", port: 8080, tls: undefined },
      { address: "127.0.0.1", port: 8081, tls: undefined },
      { address: "0.0.0.0", port: 8082, tls: undefined },
    ]);
    const [api, users] = proxy.upstreams;
    expect(api!.backends).toEqual([
      { address: "127.0.0.1", port: 3000, weight: 1 },
      { address: "127.0.0.1", port: 3001, weight: 3 },
      { address: "::1", port: 3002, weight: 1 },
    ]);
    expect(api!.healthCheck).toEqual({
      type: "http",
      path: "/healthz",
      host: undefined,
      expectedStatus: [200, 204],
      intervalMs: 2000,
      timeoutMs: 300,
      healthyThreshold: 1,
      unhealthyThreshold: 1,
    });
    expect(api!.passiveHealth).toEqual({ failureThreshold: 2, ejectionMs: 1000, maxEjectionMs: 300_000 });
    expect(api!.timeouts).toEqual({ readMs: 30_000 });
    expect(users!.hashKey).toEqual({ kind: "header", name: "x-user" });
    expect(users!.tls).toEqual({ sni: "users.internal", verify: false, ca: undefined });
    expect(users!.passiveHealth).toBe(false);
    expect(users!.hostHeader).toBe("upstream");
    const route = proxy.routes[0]!;
    expect(route.hosts).toEqual(["api.example.com", "*.api.example.com"]);
    expect(route.requestHeaders).toEqual({ remove: ["Cookie"], set: [["X-Env", "prod"]], add: [["X-Tag", "a"], ["X-Tag", "b"]] });
    expect(route.rateLimit).toEqual({ requestsPerSecond: 10, burst: 20, key: { kind: "header", name: "x-api-key" } });
    expect(route.compression).toEqual({ enabled: true, minSize: 100, types: ["application/json", "text/*"] });
    expect(proxy.routes[1]!.compression).toEqual({ enabled: true, minSize: 1024, types: undefined });
    expect(proxy.timeouts).toEqual({ connectMs: 500, totalMs: 60_000 });
    expect(proxy.maxRetries).toBe(2);
    expect(proxy.admin).toEqual({ address: "127.0.0.1", port: 9091 });
    expect(proxy.accessLog).toEqual({ kind: "file", path: join(dir, "logs/access.log") });
  });

  it("sends everything to the only group when there are no routes", () => {
    const proxy = parseZpConfig(withProxy(BASE)).extensions.proxy;
    expect(proxy.routes).toHaveLength(1);
    expect(proxy.routes[0]).toMatchObject({ hosts: [], pathPrefix: undefined, upstream: "api" });
    expect(proxy.maxRetries).toBeUndefined();
    expect(proxy.accessLog).toEqual({ kind: "off" });
  });

  it("is built from a plain object too", () => {
    const config = buildProxyConfig({ listeners: ["127.0.0.1:0"], upstreams: { app: { backends: ["127.0.0.1:1"] } } });
    expect(config.listeners[0]).toEqual({ address: "127.0.0.1", port: 0, tls: undefined });
    expect(() => buildProxyConfig({ listeners: [], upstreams: {} })).toThrow(/proxy\.listeners: must hold at least one listener/);
  });
});

describe("errors name the bad key with its path", () => {
  it.each([
    ["a weight out of range", `api: { backends: ["127.0.0.1:3000", { address: "127.0.0.1:3001", weight: 0 }] }`, "proxy.upstreams.api.backends[1].weight: must be an integer in 1..65535, got 0"],
    ["a backend without a port", `api: { backends: ["127.0.0.1"] }`, `proxy.upstreams.api.backends[0]: must be "host:port", got "127.0.0.1"`],
    ["a port out of range", `api: { backends: ["127.0.0.1:99999"] }`, `proxy.upstreams.api.backends[0]: must have a port in 1..65535, got "127.0.0.1:99999"`],
    ["an unknown algorithm", `api: { backends: ["127.0.0.1:1"], algorithm: least_con }`, `proxy.upstreams.api.algorithm: must be one of round_robin, weighted_round_robin, least_conn, random, p2c, ketama, fnv, got "least_con", did you mean "least_conn"?`],
    ["a hash key without hashing", `api: { backends: ["127.0.0.1:1"], hash_key: uri }`, "proxy.upstreams.api.hash_key: only for algorithm ketama or fnv (this group uses round_robin)"],
    ["a bad hash key", `api: { backends: ["127.0.0.1:1"], algorithm: fnv, hash_key: cookie }`, `proxy.upstreams.api.hash_key: must be uri, path, client_ip or header:<name>, got "cookie"`],
    ["an HTTP key on a TCP check", `api: { backends: ["127.0.0.1:1"], health_check: { type: tcp, path: /h } }`, "proxy.upstreams.api.health_check.path: only for type: http"],
    ["a bad duration", `api: { backends: ["127.0.0.1:1"], health_check: { interval_ms: soon } }`, `proxy.upstreams.api.health_check.interval_ms: must be a duration of at least 10 ms (milliseconds, or a string such as "500ms", "5s", "1m"), got "soon"`],
    ["a bad expected status", `api: { backends: ["127.0.0.1:1"], health_check: { expected_status: [200, 700] } }`, "proxy.upstreams.api.health_check.expected_status[1]: must be an integer in 100..599, got 700"],
    ["a missing CA file", `api: { backends: ["127.0.0.1:1"], tls: { ca: nope.pem } }`, `proxy.upstreams.api.tls.ca: cannot read "${join(dir, "nope.pem")}" (ENOENT)`],
    ["a bad group name", `"a.b": { backends: ["127.0.0.1:1"] }`, "proxy.upstreams.a.b: group names are 1-64 letters, digits, '_' or '-'"],
  ])("%s", (_, upstreams, expected) => {
    const yaml = withProxy(`listeners: ["127.0.0.1:8080"]\nupstreams:\n  ${upstreams}`);
    expect(issues(yaml)).toContain(expected);
  });

  it.each([
    ["an unknown upstream group", `- { upstream: ap }`, `proxy.routes[0].upstream: unknown upstream group "ap", did you mean "api"?`],
    ["a bad host", `- { host: "bad host", upstream: api }`, `proxy.routes[0].host: must be a host name or "*.suffix", got "bad host"`],
    ["a relative path prefix", `- { path_prefix: api, upstream: api }`, `proxy.routes[0].path_prefix: must start with "/" and hold no spaces, got "api"`],
    ["strip_prefix without a prefix", `- { strip_prefix: true, upstream: api }`, "proxy.routes[0].strip_prefix: needs a path_prefix other than /"],
    ["a framing header edit", `- { upstream: api, request_headers: { set: { Transfer-Encoding: chunked } } }`, "proxy.routes[0].request_headers.set.Transfer-Encoding: Transfer-Encoding is managed by the proxy and cannot be edited"],
    ["a bad header name", `- { upstream: api, response_headers: { add: { "X Bad": "1" } } }`, `proxy.routes[0].response_headers.add.X Bad: "X Bad" is not a valid header name`],
    ["a zero rate", `- { upstream: api, rate_limit: { requests_per_second: 0 } }`, "proxy.routes[0].rate_limit.requests_per_second: must be a number > 0, got 0"],
    ["a bad rate limit key", `- { upstream: api, rate_limit: { requests_per_second: 1, key: ip } }`, `proxy.routes[0].rate_limit.key: must be client_ip or header:<name>, got "ip"`],
    ["a bad compressible type", `- { upstream: api, compression: { types: [json] } }`, `proxy.routes[0].compression.types[0]: must be a media type such as "application/json", "text/*" or "+json", got "json"`],
  ])("%s", (_, routes, expected) => {
    const yaml = withProxy(`${BASE}\nroutes:\n  ${routes}`);
    expect(issues(yaml)).toContain(expected);
  });

  it.each([
    ["no proxy section", "threads: 1\n", "proxy: required: the proxy section with listeners and upstreams"],
    ["no listeners", withProxy(`upstreams:\n  api: { backends: ["127.0.0.1:1"] }`), "proxy.listeners: required: at least one listener, e.g. [{ address: 0.0.0.0, port: 8080 }]"],
    ["a listener port out of range", withProxy(`listeners: [{ address: 127.0.0.1, port: 70000 }]\nupstreams:\n  api: { backends: ["127.0.0.1:1"] }`), "proxy.listeners[0].port: must be an integer in 0..65535, got 70000"],
    ["a listener twice", withProxy(`listeners: ["127.0.0.1:8080", "127.0.0.1:8080"]\nupstreams:\n  api: { backends: ["127.0.0.1:1"] }`), "proxy.listeners[1]: 127.0.0.1:8080 is already listener [0]"],
    ["a missing certificate", withProxy(`listeners: [{ port: 8443, tls: { cert: c.pem, key: k.pem } }]\nupstreams:\n  api: { backends: ["127.0.0.1:1"] }`), `proxy.listeners[0].tls.cert: cannot read "${join(dir, "c.pem")}" (ENOENT)`],
    ["several groups and no routes", withProxy(`listeners: ["127.0.0.1:8080"]\nupstreams:\n  a: { backends: ["127.0.0.1:1"] }\n  b: { backends: ["127.0.0.1:2"] }`), "proxy.routes: required when there are several upstream groups (a, b)"],
    ["an admin port clash", withProxy(`${BASE}\nadmin: { port: 8080 }`), "proxy.admin: 127.0.0.1:8080 clashes with listener [0]"],
    ["a bad timeout", withProxy(`${BASE}\ntimeouts: { read: -5 }`), `proxy.timeouts.read: must be a duration of at least 1 ms (milliseconds, or a string such as "500ms", "5s", "1m"), got -5`],
    ["a bad max_retries", withProxy(`${BASE}\nmax_retries: many`), `proxy.max_retries: must be an integer in 0..100, got "many"`],
    ["a bad access log", withProxy(`${BASE}\naccess_log: 3`), "proxy.access_log: must be stdout, off or a file path, got 3"],
  ])("%s", (_, yaml, expected) => {
    expect(issues(yaml)).toContain(expected);
  });

  it("suggests the key meant for an unknown key, at every level", () => {
    const found = issues(`thread: 2
proxy:
  listener: ["127.0.0.1:8080"]
  upstreams:
    api:
      backend: ["127.0.0.1:1"]
      health_check: { intervall_ms: 100 }
  routes:
    - { upstream: api, rate_limit: { request_per_second: 1 } }
  timeouts: { conect: 1s }
`);
    expect(found).toEqual(
      expect.arrayContaining([
        `thread: unknown key, did you mean "threads"?`,
        `proxy.listener: unknown key, did you mean "listeners"?`,
        `proxy.upstreams.api.backend: unknown key, did you mean "backends"?`,
        `proxy.upstreams.api.health_check.intervall_ms: unknown key, did you mean "interval_ms"?`,
        `proxy.routes[0].rate_limit.request_per_second: unknown key, did you mean "requests_per_second"?`,
        `proxy.timeouts.conect: unknown key, did you mean "connect"?`,
      ]),
    );
  });

  it("lists every problem at once, with its line", () => {
    try {
      parseZpConfig(withProxy(`listeners: ["127.0.0.1:0"]\nupstreams:\n  api: { backends: ["x"], algorithm: nope }`), { source: "zp.yaml" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ServerConfError);
      expect((err as ServerConfError).code).toBe("ZP_CONF_INVALID");
      expect((err as ServerConfError).message).toMatch(/^invalid server configuration \(zp\.yaml\):\n {2}proxy\.upstreams\.api\.backends\[0\]: .* \(line 4\)\n {2}proxy\.upstreams\.api\.algorithm: .* \(line 4\)$/);
    }
  });

  it("checks that a listener's certificate and key belong together", () => {
    const cert = join(dir, "junk-cert.pem");
    writeFileSync(cert, "not a certificate");
    const found = issues(withProxy(`listeners: [{ port: 8443, tls: { cert: junk-cert.pem, key: junk-cert.pem } }]\nupstreams:\n  api: { backends: ["127.0.0.1:1"] }`));
    expect(found.some((i) => i.startsWith("proxy.listeners[0].tls: certificate and key cannot be used together"))).toBe(true);
  });
});
