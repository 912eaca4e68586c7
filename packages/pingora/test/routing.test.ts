import { RequestHeader } from "@zp/http";
import { describe, expect, it } from "vitest";
import { ConfiguredProxy, buildProxyConfig } from "../src/index.js";
import { stripPrefix, underPrefix } from "../src/proxy/request-target.js";

function proxyWith(routes: unknown[]): ConfiguredProxy {
  const config = buildProxyConfig({
    listeners: ["127.0.0.1:0"],
    upstreams: { a: { backends: ["127.0.0.1:1"] }, b: { backends: ["127.0.0.1:2"] }, c: { backends: ["127.0.0.1:3"] } },
    routes,
  });
  return new ConfiguredProxy(config);
}

function routeOf(proxy: ConfiguredProxy, host: string | undefined, uri: string): string | undefined {
  const head = RequestHeader.build("GET", uri);
  if (host !== undefined) head.insertHeader("Host", host);
  return proxy.routeFor(head)?.group.name;
}

describe("route selection", () => {
  const proxy = proxyWith([
    { host: "api.example.com", path_prefix: "/v1", upstream: "a" },
    { host: "*.example.com", upstream: "b" },
    { path_prefix: "/static/", upstream: "c" },
  ]);

  it("takes the first route whose host and path prefix match", () => {
    expect(routeOf(proxy, "api.example.com", "/v1/users?x=1")).toBe("a");
    expect(routeOf(proxy, "API.Example.com:8080", "/v1")).toBe("a");
    expect(routeOf(proxy, "api.example.com", "/v1beta")).toBe("b");
    expect(routeOf(proxy, "www.example.com", "/v1/users")).toBe("b");
    expect(routeOf(proxy, "a.b.example.com", "/")).toBe("b");
  });

  it("matches a wildcard on subdomains only, and paths at segment boundaries", () => {
    expect(routeOf(proxy, "example.com", "/v1")).toBeUndefined();
    expect(routeOf(proxy, "other.org", "/static/app.js")).toBe("c");
    expect(routeOf(proxy, "other.org", "/static")).toBeUndefined();
    expect(routeOf(proxy, undefined, "http://www.example.com/x")).toBe("b");
  });

  it("strips prefixes to a path that still starts with a slash", () => {
    expect(underPrefix("/api", "/api")).toBe(true);
    expect(underPrefix("/api/x", "/api")).toBe(true);
    expect(underPrefix("/apix", "/api")).toBe(false);
    expect(stripPrefix("/api/users?x=1", "/api")).toBe("/users?x=1");
    expect(stripPrefix("/api", "/api")).toBe("/");
    expect(stripPrefix("/api?q", "/api")).toBe("/?q");
    expect(stripPrefix("/static/app.js", "/static/")).toBe("/app.js");
  });
});
