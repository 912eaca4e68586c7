import { RequestHeader, ResponseHeader } from "@zp/http";
import { describe, expect, it } from "vitest";
import { ModuleError, RateDecision, RateLimiter } from "../../src/modules/index.js";

/** A clock the test moves by hand (ms). */
function fakeClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

function request(headers: Record<string, string> = {}): RequestHeader {
  const req = RequestHeader.build("GET", "/api");
  for (const [name, value] of Object.entries(headers)) req.appendHeader(name, value);
  return req;
}

describe("RateLimiter", () => {
  it("allows a burst, then refuses with 429 and the right Retry-After", () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ requestsPerSecond: 0.5, burst: 3, now: clock.now });
    const decisions = [1, 2, 3].map(() => ({ ...limiter.check("10.0.0.1") }));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true]);
    expect(decisions.map((d) => d.remaining)).toEqual([2, 1, 0]);
    expect(decisions[0]).toMatchObject({ limit: 3, retryAfterSeconds: 0, resetSeconds: 2 });
    expect(decisions[2]!.resetSeconds).toBe(6); // three tokens at 0.5/s

    const refused = limiter.check("10.0.0.1");
    expect(refused).toMatchObject({ allowed: false, limit: 3, remaining: 0, retryAfterSeconds: 2, resetSeconds: 2 });

    const { status, headers, body } = limiter.rejection(refused);
    expect(status).toBe(429);
    expect(body.toString()).toBe("Too Many Requests\n");
    expect(headers.get("retry-after")).toBe("2");
    expect(headers.get("content-length")).toBe(String(body.length));
    expect(headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(headers.get("ratelimit-policy")).toBe('"proxy";q=3;w=6');
    expect(headers.get("ratelimit")).toBe('"proxy";r=0;t=2');
  });

  it("recovers after the refill interval", () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ requestsPerSecond: 2, burst: 2, now: clock.now });
    expect(limiter.check("k").allowed).toBe(true);
    expect(limiter.check("k").allowed).toBe(true);
    const refused = limiter.check("k");
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBe(1); // 500 ms rounds up to a whole second
    clock.advance(499);
    expect(limiter.check("k").allowed).toBe(false);
    clock.advance(1);
    expect(limiter.check("k")).toMatchObject({ allowed: true, remaining: 0 });
    expect(limiter.check("k").allowed).toBe(false);
    clock.advance(1000); // a full burst back
    expect(limiter.check("k")).toMatchObject({ allowed: true, remaining: 1, resetSeconds: 1 });
    expect(limiter.check("k").allowed).toBe(true);
    expect(limiter.check("k").allowed).toBe(false);
  });

  it("never says Retry-After 0, even when the wait is a few ms", () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ requestsPerSecond: 100, burst: 1, now: clock.now });
    limiter.check("k");
    const refused = limiter.check("k");
    expect(refused.retryAfterSeconds).toBe(1);
    expect(limiter.rejection(refused).headers.get("retry-after")).toBe("1");
    clock.advance(10);
    expect(limiter.check("k").allowed).toBe(true);
  });

  it("keeps keys independent", () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ requestsPerSecond: 1, burst: 1, now: clock.now, seed: 7 });
    expect(limiter.check("a").allowed).toBe(true);
    expect(limiter.check("a").allowed).toBe(false);
    for (let i = 0; i < 1000; i++) expect(limiter.check(`client-${i}`).allowed).toBe(true);
    expect(limiter.check("a").allowed).toBe(false);
    expect(limiter.check("b").allowed).toBe(true);
  });

  it("holds fixed memory whatever the number of keys", () => {
    const limiter = new RateLimiter({ requestsPerSecond: 10, slots: 1024, hashes: 2 });
    const before = limiter.byteLength;
    for (let i = 0; i < 100_000; i++) limiter.check(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
    expect(limiter.byteLength).toBe(before);
    expect(before).toBe(2 * 1024 * 8);
  });

  it("keys by client address by default", () => {
    const limiter = new RateLimiter({ requestsPerSecond: 1 });
    expect(limiter.keyFor(request(), "192.0.2.7")).toBe("192.0.2.7");
    expect(limiter.burst).toBe(1);
  });

  it("keys by a header, with clients lacking it counted per address apart", () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ requestsPerSecond: 1, burst: 2, keyBy: { header: "X-Api-Key" }, now: clock.now });
    const withKey = request({ "x-api-key": "tenant-1" });
    expect(limiter.keyFor(withKey, "192.0.2.1")).toBe("tenant-1");
    // Same key from two addresses shares one budget.
    expect(limiter.check(limiter.keyFor(withKey, "192.0.2.1")).allowed).toBe(true);
    expect(limiter.check(limiter.keyFor(withKey, "192.0.2.2")).allowed).toBe(true);
    expect(limiter.check(limiter.keyFor(withKey, "192.0.2.3")).allowed).toBe(false);
    // Another key has its own.
    expect(limiter.check(limiter.keyFor(request({ "X-API-KEY": "tenant-2" }), "192.0.2.1")).allowed).toBe(true);
    // Without the header: per address, and a header value equal to an address does not spend its budget.
    const bare = limiter.keyFor(request(), "192.0.2.9");
    expect(bare).not.toBe("192.0.2.9");
    expect(limiter.keyFor(request({ "x-api-key": "" }), "192.0.2.9")).toBe(bare);
    const spoof = request({ "x-api-key": "192.0.2.9" });
    expect(limiter.check(limiter.keyFor(spoof, "198.51.100.1")).allowed).toBe(true);
    expect(limiter.check(limiter.keyFor(spoof, "198.51.100.1")).allowed).toBe(true);
    expect(limiter.check(limiter.keyFor(spoof, "198.51.100.1")).allowed).toBe(false);
    expect(limiter.check(bare).allowed).toBe(true);
    expect(limiter.check(limiter.keyFor(request(), "192.0.2.10")).allowed).toBe(true);
  });

  it("keys by a function of the request and the address", () => {
    const limiter = new RateLimiter({
      requestsPerSecond: 1,
      keyBy: (req, ip) => `${ip}|${req.target.path}`,
    });
    expect(limiter.keyFor(request(), "10.1.1.1")).toBe("10.1.1.1|/api");
  });

  it("fills a decision object given to it", () => {
    const limiter = new RateLimiter({ requestsPerSecond: 5, burst: 5 });
    const reused = new RateDecision();
    expect(limiter.check("k", reused)).toBe(reused);
    expect(reused).toMatchObject({ allowed: true, limit: 5, remaining: 4 });
    limiter.check("k", reused);
    expect(reused.remaining).toBe(3);
  });

  it("adds the IETF fields to allowed responses, beside an upstream's own", () => {
    const limiter = new RateLimiter({ requestsPerSecond: 10, burst: 20, policyName: "edge" });
    const decision = limiter.check("k");
    const response = ResponseHeader.build(200).appendHeader("RateLimit", '"origin";r=5;t=30');
    limiter.addHeaders(response, decision);
    expect(response.headers.getAll("ratelimit")).toEqual(['"origin";r=5;t=30', '"edge";r=19;t=1']);
    expect(response.headers.get("ratelimit-policy")).toBe('"edge";q=20;w=2');
  });

  it("writes the legacy split fields, keeping an upstream's stricter remaining", () => {
    const limiter = new RateLimiter({ requestsPerSecond: 1, burst: 10, headerStyle: "legacy" });
    const decision = limiter.check("k");
    const response = ResponseHeader.build(200);
    limiter.addHeaders(response, decision);
    expect(Object.fromEntries(response.headers)).toEqual({
      "RateLimit-Limit": "10",
      "RateLimit-Remaining": "9",
      "RateLimit-Reset": "1",
      "RateLimit-Policy": "10;w=10",
    });
    const stricter = ResponseHeader.build(200).appendHeader("RateLimit-Remaining", "2").appendHeader("RateLimit-Limit", "3");
    limiter.addHeaders(stricter, decision);
    expect(stricter.headers.get("ratelimit-remaining")).toBe("2");
    expect(stricter.headers.get("ratelimit-limit")).toBe("3");
    const looser = ResponseHeader.build(200).appendHeader("RateLimit-Remaining", "500");
    limiter.addHeaders(looser, decision);
    expect(looser.headers.get("ratelimit-remaining")).toBe("9");
  });

  it("adds nothing when asked not to, and keeps Retry-After on rejections", () => {
    const none = new RateLimiter({ requestsPerSecond: 1, burst: 1, headerStyle: "none" });
    const silent = new RateLimiter({ requestsPerSecond: 1, burst: 1, headersOnAllowed: false });
    for (const limiter of [none, silent]) {
      const response = ResponseHeader.build(200);
      limiter.addHeaders(response, limiter.check("k"));
      expect(response.headers.size).toBe(0);
    }
    const rejection = none.rejection(none.check("k"));
    expect(rejection.headers.get("retry-after")).toBe("1");
    expect(rejection.headers.has("ratelimit")).toBe(false);
    expect(silent.rejection(silent.check("k")).headers.get("ratelimit")).toBe('"proxy";r=0;t=1');
  });

  it("serves a custom 429 body and type", () => {
    const limiter = new RateLimiter({ requestsPerSecond: 1, burst: 1, body: '{"error":"slow down"}', contentType: "application/json" });
    limiter.check("k");
    const { headers, body } = limiter.rejection(limiter.check("k"));
    expect(JSON.parse(body.toString())).toEqual({ error: "slow down" });
    expect(headers.get("content-type")).toBe("application/json");
    expect(headers.get("content-length")).toBe("21");
  });

  it("refuses bad options with a stable code", () => {
    const bad = [
      { requestsPerSecond: 0 },
      { requestsPerSecond: Number.NaN },
      { requestsPerSecond: 1, burst: 0.5 },
      { requestsPerSecond: 1, keyBy: { header: "bad header" } },
      { requestsPerSecond: 1, keyBy: "cookie" as "ip" },
      { requestsPerSecond: 1, policyName: 'a"b' },
      { requestsPerSecond: 1, headerStyle: "x" as "ietf" },
      { requestsPerSecond: 1, slots: 0 },
      { requestsPerSecond: 1, contentType: "text/plain\r\nX: y" },
    ];
    for (const options of bad) {
      let error: unknown;
      try {
        new RateLimiter(options);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(options)).toBeInstanceOf(ModuleError);
      expect((error as ModuleError).code).toBe("ZP_MODULE_INVALID_OPTION");
    }
  });
});
